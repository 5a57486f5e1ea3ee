using Microsoft.Playwright;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Nscr.EndToEnd.Tests.WebUi;

[Collection(WebUiCollection.Name)]
public sealed class LogsTests(BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>The request log names the repository of a path: this one is markup (every character is legal in a
    /// request target once percent-encoded, and the registry answers 404 NAME_INVALID/UNKNOWN, but logs it first).</summary>
    private const string Hostile = "x<img src=x onerror=window.__xss=true>";

    [Fact]
    public Task LogLinesStreamAsTextWithLevelFilterAndPause() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        using var http = new HttpClient { BaseAddress = registry.BaseAddress };
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/logs", "view-logs");
        await Expect(ui.ByTestId("log-state")).ToHaveAttributeAsync("data-state", "live");

        scope.Step("a request whose logged repository name is markup");
        using (await http.GetAsync("v2/" + Uri.EscapeDataString(Hostile) + "/tags/list", ct)) { }
        var hostileRow = ui.Page.Locator("[data-testid=log-row]").Filter(new LocatorFilterOptions { HasText = Hostile });
        await Expect(hostileRow.First).ToBeVisibleAsync();
        await Expect(ui.ByTestId("log-rows").Locator("img, script")).ToHaveCountAsync(0);
        await ui.ScreenshotAsync("logs");

        scope.Step("pause: new lines wait until resumed");
        await ui.ByTestId("log-pause").ClickAsync();
        using (await http.GetAsync("v2/paused-marker/tags/list", ct)) { }
        await Expect(ui.ByTestId("log-pause")).ToContainTextAsync("new");
        var paused = ui.Page.Locator("[data-testid=log-row]").Filter(new LocatorFilterOptions { HasText = "paused-marker" });
        await Expect(paused).ToHaveCountAsync(0);
        await ui.ByTestId("log-pause").ClickAsync();
        await Expect(paused.First).ToBeVisibleAsync();

        scope.Step("level Warning: the request log (Information) goes");
        await ui.ByTestId("log-level").SelectOptionAsync("Warning");
        await Expect(ui.Page.Locator("[data-testid=log-row].level-information")).ToHaveCountAsync(0);
        await ui.AssertCleanAsync();
    });
}
