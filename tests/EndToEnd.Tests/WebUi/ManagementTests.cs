using Microsoft.Playwright;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Nscr.EndToEnd.Tests.WebUi;

[Collection(WebUiCollection.Name)]
public sealed class ManagementTests(BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>No grace: what the deleted manifest leaves behind is collectable at once.</summary>
    private static readonly Dictionary<string, string> NoGrace = new() { ["NSCR_GC_GRACE"] = "0" };

    [Fact]
    public Task GcFromTheUiShowsTheReclaimedBytesAndKeepsItsHistoryOverARestart() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync(environment: NoGrace);
        await UiImages.PushAnnotatedAsync(registry, "e2e/gc", "kept", "kept", ct);
        var doomed = await UiImages.PushAnnotatedAsync(registry, "e2e/gc", "doomed", "collected", ct);
        await using var ui = await browser.OpenAsync(registry, scope);

        scope.Step("delete the manifest from the repository page");
        await ui.GoToAsync("#/repositories/e2e/gc", "view-repository");
        await ui.Page.Locator("[data-testid=tag-row][data-tag=doomed] [data-testid=tag-inspect]").ClickAsync();
        await Expect(ui.Page.Locator($"[data-testid=manifest-card][data-digest='{doomed}']")).ToBeVisibleAsync();
        await ui.Page.Locator("[data-testid=tag-row][data-tag=doomed] [data-testid=delete-tag]").ClickAsync();
        await ui.ByTestId("confirm-ok").ClickAsync();
        await Expect(ui.Page.Locator("[data-testid=tag-row][data-tag=doomed]")).ToHaveCountAsync(0);

        scope.Step("dry run, then a real cycle");
        await ui.GoToAsync("#/management", "view-management");
        await ui.ByTestId("gc-dry-run").ClickAsync();
        var result = ui.ByTestId("gc-result");
        await Expect(result).ToHaveAttributeAsync("data-state", "completed");
        await Expect(result).ToHaveAttributeAsync("data-dry-run", "true");
        var wouldReclaim = long.Parse(await ui.ByTestId("gc-reclaimed").GetAttributeAsync("data-bytes") ?? "0");
        Assert.True(wouldReclaim > 1024, $"the dry run would reclaim {wouldReclaim} bytes");

        await ui.ByTestId("gc-run").ClickAsync();
        await Expect(ui.ByTestId("confirm-dialog")).ToBeVisibleAsync();
        await ui.ByTestId("confirm-ok").ClickAsync();
        await Expect(result).ToHaveAttributeAsync("data-dry-run", "false");
        await Expect(result).ToHaveAttributeAsync("data-state", "completed");
        var reclaimed = long.Parse(await ui.ByTestId("gc-reclaimed").GetAttributeAsync("data-bytes") ?? "0");
        Assert.Equal(wouldReclaim, reclaimed);
        await Expect(ui.ByTestId("gc-reclaimed")).Not.ToHaveTextAsync("0 B");
        await Expect(ui.Page.Locator("[data-testid=gc-section] [data-testid=gc-row]")).ToHaveCountAsync(2);
        await ui.ScreenshotAsync("management-gc");

        scope.Step("restart: the cycles are still listed");
        await registry.RestartAsync(ct);
        await ui.GoToAsync("#/overview", "view-overview");
        await Expect(ui.Page.Locator("[data-testid=gc-history] [data-testid=gc-row]")).ToHaveCountAsync(2);
        await Expect(ui.ByTestId("repositories-value")).ToHaveTextAsync("1");
        await ui.ScreenshotAsync("overview");
        await ui.AssertCleanAsync();
    });
}
