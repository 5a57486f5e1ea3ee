using Microsoft.Playwright;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Nscr.EndToEnd.Tests.WebUi;

/// <summary>The views built on the admin API's richer answers: repository search, sizes and totals; retention editing.</summary>
[Collection(WebUiCollection.Name)]
public sealed class AdminViewsTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public Task RepositoriesAreSearchableWithSizesAndATotal() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        foreach (var name in new[] { "e2e/alpha", "e2e/beta", "other/gamma" })
        {
            await UiImages.PushAnnotatedAsync(registry, name, "v1", name, ct);
        }
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/repositories", "view-repositories");
        await Expect(ui.Page.Locator("[data-testid=repo-row]")).ToHaveCountAsync(3);
        await Expect(ui.ByTestId("repo-range")).ToHaveTextAsync("1–3 of 3");
        await Expect(ui.ByTestId("repo-table")).ToContainTextAsync("Unique / shared");

        await ui.ByTestId("repo-search").FillAsync("e2e/");

        await Expect(ui.Page.Locator("[data-testid=repo-row]")).ToHaveCountAsync(2);
        await Expect(ui.ByTestId("repo-range")).ToHaveTextAsync("1–2 of 2");
        await ui.Page.Locator("[data-testid=repo-row][data-name='e2e/beta'] [data-testid=repo-link]").ClickAsync();
        await Expect(ui.ByTestId("repo-name")).ToHaveTextAsync("e2e/beta");
        await Expect(ui.Page.Locator("[data-testid=manifest-row]")).ToHaveCountAsync(1);
        await ui.AssertCleanAsync();
    });

    [Fact]
    public Task RetentionRulesAreDryRunThenSaved() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        // No grace: the rules alone decide (the default hour would keep tags pushed a moment ago).
        var registry = await scope.StartRegistryAsync(environment: new Dictionary<string, string> { ["NSCR_GC_GRACE"] = "0" });
        await UiImages.PushAnnotatedAsync(registry, "ci/app", "old", "old", ct);
        await UiImages.PushAnnotatedAsync(registry, "ci/app", "new", "new", ct);
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/management", "view-management");
        await Expect(ui.ByTestId("retention-source")).ToContainTextAsync("configuration");
        await Expect(ui.ByTestId("retention-save")).ToBeDisabledAsync();

        await ui.ByTestId("retention-editor").FillAsync("""[{"repository":"ci/**","keepNewest":1,"deleteUntagged":true}]""");
        await ui.ByTestId("retention-dry-run").ClickAsync();

        var report = ui.ByTestId("retention-result").Locator("[data-testid=gc-result]");
        await Expect(report).ToHaveAttributeAsync("data-dry-run", "true");
        await Expect(report).ToContainTextAsync("tags (1)");
        await Expect(ui.ByTestId("retention-save")).ToBeEnabledAsync();
        await ui.ScreenshotAsync("management-retention");
        await ui.ByTestId("retention-save").ClickAsync();
        await ui.ByTestId("confirm-ok").ClickAsync();

        await Expect(ui.ByTestId("retention-saved")).ToBeVisibleAsync();
        await Expect(ui.ByTestId("retention-source")).ToContainTextAsync("API");
        using var client = new RegistryClient(registry.BaseAddress);
        Assert.Equal(["new", "old"], (await client.ListTagsAsync("ci/app", ct)).Order());
        await ui.AssertCleanAsync();
    });
}
