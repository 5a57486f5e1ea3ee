using Microsoft.Playwright;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Nscr.EndToEnd.Tests.WebUi;

[Collection(WebUiCollection.Name)]
public sealed class OverviewTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public Task OverviewShowsTheRegistrysStatus() => TestScope.RunAsync(output, async scope =>
    {
        var registry = await scope.StartRegistryAsync();
        await using var ui = await browser.OpenAsync(registry, scope);

        await ui.GoToAsync("", "view-overview");

        await Expect(ui.ByTestId("version-value")).Not.ToHaveTextAsync("—");
        await Expect(ui.ByTestId("repositories-value")).ToHaveTextAsync("0");
        await Expect(ui.ByTestId("uptime")).ToContainTextAsync(" s");
        await Expect(ui.ByTestId("storage-value")).ToContainTextAsync("B");
        await Expect(ui.ByTestId("gc-next")).ToBeVisibleAsync();
        await Expect(ui.ByTestId("nav")).ToBeVisibleAsync();
        // Embedded mode runs no dashboard by default: no link to a page that is not there.
        await Expect(ui.ByTestId("nav-dashboard")).ToBeHiddenAsync();
        await ui.ScreenshotAsync("overview-empty");
        await ui.AssertCleanAsync();
    });

    /// <summary>Every view renders, whichever endpoints this server has: a missing one is a quiet note, never a broken page.</summary>
    [Fact]
    public Task EveryViewRendersWithoutScriptErrors() => TestScope.RunAsync(output, async scope =>
    {
        var registry = await scope.StartRegistryAsync();
        await using var ui = await browser.OpenAsync(registry, scope, ColorScheme.Dark);
        await ui.GoToAsync("", "view-overview");
        foreach (var view in new[] { "repositories", "management", "logs", "events", "throughput", "overview" })
        {
            await ui.ByTestId($"nav-{view}").ClickAsync();
            await Expect(ui.ByTestId($"view-{view}")).ToBeVisibleAsync();
            await Expect(ui.ByTestId($"view-{view}").Locator("[data-testid=error]")).ToHaveCountAsync(0);
            await Expect(ui.ByTestId($"nav-{view}")).ToHaveAttributeAsync("aria-current", "page");
        }
        await ui.ScreenshotAsync("overview-dark");
        await ui.AssertCleanAsync();
    });

    [Fact]
    public Task TheDashboardLinkShowsWhenTheDashboardRuns() => TestScope.RunAsync(output, async scope =>
    {
        var registry = await scope.StartRegistryAsync(environment: new Dictionary<string, string> { ["NSCR_DASHBOARD"] = "true" });
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("", "view-overview");

        var link = ui.ByTestId("nav-dashboard");
        await Expect(link).ToBeVisibleAsync();
        await Expect(link).ToHaveAttributeAsync("href", "/dashboard");
        await ui.AssertCleanAsync();
    });
}
