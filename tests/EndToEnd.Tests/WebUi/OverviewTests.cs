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
        await ui.ScreenshotAsync("overview-empty");
        await ui.AssertCleanAsync();
    });
}
