using Microsoft.Playwright;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Nscr.EndToEnd.Tests.WebUi;

/// <summary>With authentication on: the login form, a state change through the cookie session (CSRF header), logout.</summary>
[Collection(WebUiCollection.Name)]
public sealed class LoginTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public Task AnAdminLogsInRunsAGcDryRunAndLogsOut() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var htpasswd = Path.Combine(scope.NewTempDirectory("htpasswd").Path, "htpasswd");
        var password = $"a-{Guid.NewGuid():N}";
        await Tool.RunCheckedAsync("htpasswd", ["-B", "-b", "-c", htpasswd, "admin", password], ct);
        var registry = await scope.StartRegistryAsync(environment: new Dictionary<string, string>
        {
            ["NSCR_HTPASSWD"] = htpasswd,
            ["Nscr__Auth__Admins__0"] = "admin",
        });
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("", "view-login");
        await Expect(ui.ByTestId("nav")).ToBeHiddenAsync();

        await ui.ByTestId("login-user").FillAsync("admin");
        await ui.ByTestId("login-password").FillAsync("not-the-password");
        await ui.ByTestId("login-submit").ClickAsync();
        await Expect(ui.ByTestId("login-message")).ToHaveTextAsync("Wrong user name or password.");

        await ui.ByTestId("login-password").FillAsync(password);
        await ui.ByTestId("login-submit").ClickAsync();
        await Expect(ui.ByTestId("view-overview")).ToBeVisibleAsync();
        await Expect(ui.ByTestId("session-user")).ToHaveTextAsync("admin");
        await Expect(ui.ByTestId("live-status")).ToHaveAttributeAsync("data-state", "live");

        scope.Step("a POST through the cookie session (needs the CSRF header)");
        await ui.ByTestId("nav-management").ClickAsync();
        await ui.ByTestId("gc-dry-run").ClickAsync();
        await Expect(ui.ByTestId("gc-result")).ToHaveAttributeAsync("data-state", "completed");

        scope.Step("log out: the session is gone, also after a reload");
        await ui.ByTestId("logout").ClickAsync();
        await Expect(ui.ByTestId("view-login")).ToBeVisibleAsync();
        await ui.Page.ReloadAsync();
        await Expect(ui.ByTestId("view-login")).ToBeVisibleAsync();
        await ui.AssertCleanAsync();
    });
}
