using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Nscr.EndToEnd.Tests.WebUi;

/// <summary>Keyboard and screen-reader basics, checked through Chromium's own accessibility tree (accessible names,
/// roles) and real key presses.</summary>
[Collection(WebUiCollection.Name)]
public sealed partial class AccessibilityTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public Task ATagIsDeletedWithTheKeyboardOnly() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        await UiImages.PushAnnotatedAsync(registry, "e2e/keys", "keep", "kept", ct);
        await UiImages.PushAnnotatedAsync(registry, "e2e/keys", "doomed", "to be deleted", ct);
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/repositories/e2e/keys", "view-repository");
        await Expect(ui.Page.Locator("[data-testid=tag-row]")).ToHaveCountAsync(2);
        var page = ui.Page;
        var deleteDoomed = page.GetByRole(AriaRole.Button, new() { Name = "Delete tag doomed", Exact = true });
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete tag" });

        scope.Step("Tab to the doomed tag's delete button, Enter");
        await TabUntilFocusedAsync(page, deleteDoomed);
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToHaveAccessibleDescriptionAsync(new Regex("e2e/keys:doomed"));
        await Expect(ui.ByTestId("confirm-cancel")).ToBeFocusedAsync();

        scope.Step("Tab and Shift+Tab stay in the dialog");
        foreach (var key in new[] { "Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab" })
        {
            await page.Keyboard.PressAsync(key);
            Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('confirm').contains(document.activeElement)"),
                $"after {key} the focus left the dialog");
        }

        scope.Step("Escape cancels: nothing deleted, focus back on the button");
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).Not.ToBeVisibleAsync();
        await Expect(deleteDoomed).ToBeFocusedAsync();
        using var client = new RegistryClient(registry.BaseAddress);
        Assert.Equal(["doomed", "keep"], (await client.ListTagsAsync("e2e/keys", ct)).Order());

        scope.Step("Enter again, Tab to Delete, Enter");
        await page.Keyboard.PressAsync("Enter");
        await Expect(ui.ByTestId("confirm-cancel")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(ui.ByTestId("confirm-ok")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=tag-row][data-tag=doomed]")).ToHaveCountAsync(0);
        Assert.Equal(["keep"], await client.ListTagsAsync("e2e/keys", ct));
        await ui.AssertCleanAsync();
    });

    [Fact]
    public Task ControlsAndTheLiveDotHaveAccessibleNames() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        await UiImages.PushAnnotatedAsync(registry, "e2e/names", "a", "first", ct);
        await UiImages.PushAnnotatedAsync(registry, "e2e/names", "b", "second", ct);
        await using var ui = await browser.OpenAsync(registry, scope);

        await ui.GoToAsync("#/overview", "view-overview");
        await Expect(ui.ByTestId("live-status")).ToHaveAttributeAsync("data-state", "live");
        await Expect(ui.Page.GetByRole(AriaRole.Img, new() { Name = "Live updates on" })).ToBeVisibleAsync();
        await AssertNamedAsync(ui.ByTestId("view-overview"), "#/overview");

        foreach (var (route, view) in new[]
        {
            ("#/repositories", "view-repositories"), ("#/repositories/e2e/names", "view-repository"),
            ("#/management", "view-management"), ("#/logs", "view-logs"), ("#/throughput", "view-throughput"),
        })
        {
            await ui.GoToAsync(route, view);
            if (view == "view-repository") await Expect(ui.Page.Locator("[data-testid=manifest-row]")).ToHaveCountAsync(2);
            await AssertNamedAsync(ui.ByTestId(view), route);
        }

        scope.Step("the buttons of each row say which row they act on");
        await ui.GoToAsync("#/repositories/e2e/names", "view-repository");
        await Expect(ui.Page.Locator("[data-testid=manifest-row]")).ToHaveCountAsync(2);
        foreach (var testId in new[] { "delete-tag", "copy-pull", "tag-inspect", "delete-manifest", "manifest-inspect" })
        {
            var names = await AccessibleNamesAsync(ui.Page.Locator($"[data-testid={testId}]"));
            Assert.Equal(2, names.Length);
            Assert.True(names[0] != names[1], $"both {testId} buttons are named \"{names[0]}\"");
        }
        await Expect(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Delete tag a", Exact = true })).ToBeVisibleAsync();

        scope.Step("copying says how it went in a live region, whether the clipboard is allowed or not");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Copy the pull command of a", Exact = true }).ClickAsync();
        var status = ui.Page.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("(Copied to the clipboard|Could not copy)") });
        await Expect(status).ToHaveCountAsync(1);
        await ui.AssertCleanAsync();
    });

    /// <summary>Every button, field and list box in <paramref name="view"/> has a non-empty accessible name.</summary>
    private static async Task AssertNamedAsync(ILocator view, string route)
    {
        foreach (var control in await view.Locator("button, input, select, textarea").AllAsync())
        {
            if (!await control.IsVisibleAsync()) continue;
            try
            {
                await Expect(control).ToHaveAccessibleNameAsync(NonEmpty(), new() { Timeout = 2000 });
            }
            catch (PlaywrightException)
            {
                var html = await control.EvaluateAsync<string>("e => e.outerHTML.slice(0, 200)");
                throw new Xunit.Sdk.XunitException($"{route}: no accessible name: {html}");
            }
        }
    }

    /// <summary>Chromium's accessible names of the matched elements, through Playwright's name check.</summary>
    private static async Task<string[]> AccessibleNamesAsync(ILocator locator)
    {
        var names = new List<string>();
        foreach (var element in await locator.AllAsync())
        {
            var label = await element.GetAttributeAsync("aria-label") ?? (await element.TextContentAsync() ?? "").Trim();
            // The name Chromium computes must be the label: the aria-label when there is one, else the text.
            await Expect(element).ToHaveAccessibleNameAsync(label);
            names.Add(label);
        }
        return [.. names];
    }

    /// <summary>Presses Tab (at most 80 times) until <paramref name="target"/> has the focus.</summary>
    private static async Task TabUntilFocusedAsync(IPage page, ILocator target)
    {
        await Expect(target).ToBeVisibleAsync();
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement")) return;
        }
        throw new Xunit.Sdk.XunitException("Tab never reached the button");
    }

    [GeneratedRegex(@"\S")]
    private static partial Regex NonEmpty();
}
