using Microsoft.Playwright;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Nscr.EndToEnd.Tests.WebUi;

/// <summary>The repositories views against a real registry process: live arrival of a push, deleting from the UI,
/// and values from the registry shown as text.</summary>
[Collection(WebUiCollection.Name)]
public sealed class RepositoryTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public Task APushWithSkopeoAppearsWithoutAReload() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        var layout = await UiImages.BuildLayoutAsync(scope, "live");
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/repositories", "view-repositories");
        await Expect(ui.ByTestId("repo-empty")).ToBeVisibleAsync();
        await Expect(ui.ByTestId("live-status")).ToHaveAttributeAsync("data-state", "live");
        // A reload would lose this marker.
        await ui.Page.EvaluateAsync("() => { window.__sameDocument = true; }");

        scope.Step("skopeo copy e2e/live:v1");
        await UiImages.PushAsync(registry, layout, "e2e/live", "v1", ct);

        var row = ui.Page.Locator("[data-testid=repo-row][data-name='e2e/live']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("e2e/live");
        Assert.True(await ui.Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
        await ui.ScreenshotAsync("repositories-live-push");

        scope.Step("the events view lists the push");
        await ui.ByTestId("nav-events").ClickAsync();
        await Expect(ui.Page.Locator("[data-testid=event-row][data-type=push]").Filter(new() { HasText = "e2e/live" }).First).ToBeVisibleAsync();
        await ui.AssertCleanAsync();
    });

    [Fact]
    public Task DeletingATagFromTheUiRemovesItFromTheList() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        await UiImages.PushAnnotatedAsync(registry, "e2e/tags", "keep", "kept", ct);
        await UiImages.PushAnnotatedAsync(registry, "e2e/tags", "doomed", "to be deleted", ct);
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/repositories/e2e/tags", "view-repository");
        var doomed = ui.Page.Locator("[data-testid=tag-row][data-tag=doomed]");
        await Expect(doomed).ToBeVisibleAsync();
        await Expect(ui.Page.Locator("[data-testid=tag-row]")).ToHaveCountAsync(2);
        await Expect(doomed.Locator("[data-testid=pull-command]")).ToHaveTextAsync($"docker pull {registry.HostPort}/e2e/tags:doomed");

        await doomed.Locator("[data-testid=delete-tag]").ClickAsync();
        await Expect(ui.ByTestId("confirm-dialog")).ToBeVisibleAsync();
        await Expect(ui.ByTestId("confirm-message")).ToContainTextAsync("e2e/tags:doomed");
        await ui.ByTestId("confirm-ok").ClickAsync();

        await Expect(doomed).ToHaveCountAsync(0);
        await Expect(ui.Page.Locator("[data-testid=tag-row][data-tag=keep]")).ToBeVisibleAsync();
        using var client = new RegistryClient(registry.BaseAddress);
        Assert.Equal(["keep"], await client.ListTagsAsync("e2e/tags", ct));
        await ui.AssertCleanAsync();
    });

    [Fact]
    public Task CancellingTheConfirmationDeletesNothing() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        await UiImages.PushAnnotatedAsync(registry, "e2e/cancel", "v1", "stays", ct);
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/repositories/e2e/cancel", "view-repository");

        await ui.ByTestId("delete-repository").ClickAsync();
        await ui.ByTestId("confirm-cancel").ClickAsync();

        await Expect(ui.ByTestId("confirm-dialog")).Not.ToBeVisibleAsync();
        await Expect(ui.Page.Locator("[data-testid=tag-row][data-tag=v1]")).ToBeVisibleAsync();
        using var client = new RegistryClient(registry.BaseAddress);
        Assert.Equal(["v1"], await client.ListTagsAsync("e2e/cancel", ct));
    });

    [Fact]
    public Task AnAnnotationWithMarkupShowsAsText() => TestScope.RunAsync(output, async scope =>
    {
        const string hostile = "<img src=x onerror=\"window.__xss=true\"><script>window.__xss=true</script>";
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        var digest = await UiImages.PushAnnotatedAsync(registry, "e2e/xss", "v1", hostile, ct);
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/repositories/e2e/xss", "view-repository");

        await ui.Page.Locator("[data-testid=tag-row][data-tag=v1] [data-testid=tag-inspect]").ClickAsync();

        var card = ui.Page.Locator($"[data-testid=manifest-card][data-digest='{digest}']");
        await Expect(card).ToBeVisibleAsync();
        await Expect(ui.ByTestId("annotations")).ToContainTextAsync(hostile);
        await Expect(ui.ByTestId("annotations").Locator("img, script")).ToHaveCountAsync(0);
        await ui.ScreenshotAsync("manifest-annotation-as-text");
        await ui.AssertCleanAsync();
    });

    [Fact]
    public Task ATagShowsItsReferrers() => TestScope.RunAsync(output, async scope =>
    {
        const string sbomType = "application/vnd.example.sbom.v1+json";
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        var image = await UiImages.PushAnnotatedAsync(registry, "e2e/signed", "v1", "with an SBOM", ct);
        var sbom = await UiImages.PushReferrerAsync(registry, "e2e/signed", image, sbomType, ct);
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/repositories/e2e/signed", "view-repository");

        var row = ui.Page.Locator("[data-testid=tag-row][data-tag=v1]");
        await Expect(row.Locator("[data-testid=tag-referrers]")).ToContainTextAsync(sbomType);
        await Expect(ui.Page.Locator($"[data-testid=manifest-row][data-digest='{sbom}']")).ToContainTextAsync(sbomType);
        await row.Locator("[data-testid=tag-inspect]").ClickAsync();
        await Expect(ui.ByTestId("manifest-card")).ToContainTextAsync(sbomType);
        await ui.ScreenshotAsync("repository-referrers");
        await ui.AssertCleanAsync();
    });

    [Fact]
    public Task AMultiArchImageShowsBothPlatforms() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        var (index, images) = await UiImages.PushMultiArchAsync(registry, "e2e/multiarch", "v1", ["amd64", "arm64"], ct);
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/repositories/e2e/multiarch", "view-repository");

        var row = ui.Page.Locator("[data-testid=tag-row][data-tag=v1]");
        await Expect(row).ToHaveAttributeAsync("data-digest", index);
        await Expect(row).ToContainTextAsync("linux/amd64, linux/arm64");
        await Expect(ui.Page.Locator($"[data-testid=manifest-row][data-digest='{index}']")).ToContainTextAsync("index");
        foreach (var image in images)
        {
            var child = ui.Page.Locator($"[data-testid=manifest-row][data-digest='{image}']");
            await Expect(child).ToContainTextAsync("image");
            // A platform's image goes with its index (the registry refuses to delete it alone): no Delete button.
            await Expect(child.Locator("[data-testid=manifest-in-index]")).ToContainTextAsync("in index");
            await Expect(child.Locator("[data-testid=delete-manifest]")).ToHaveCountAsync(0);
        }
        await Expect(ui.Page.Locator($"[data-testid=manifest-row][data-digest='{index}'] [data-testid=delete-manifest]")).ToHaveCountAsync(1);

        await row.Locator("[data-testid=tag-inspect]").ClickAsync();
        var card = ui.Page.Locator($"[data-testid=manifest-card][data-digest='{index}']");
        await Expect(card).ToContainTextAsync("linux/amd64");
        await Expect(card).ToContainTextAsync("linux/arm64");
        await ui.ScreenshotAsync("repository-multi-arch");
        await ui.AssertCleanAsync();
    });
}
