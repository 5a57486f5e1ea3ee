using Nscr.Cli.Tests.Infrastructure;
using Xunit;

namespace Nscr.Cli.Tests.EndToEnd;

/// <summary>login checks and stores the URL (mode 600 in a 700 directory); later commands use it.</summary>
public sealed class LoginTests(CliRegistry registry) : IClassFixture<CliRegistry>
{
    [Fact]
    public async Task LoginStoresTheUrlPrivatelyAndLogoutForgetsIt()
    {
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = Path.Combine(registry.Root, "login-url") };
        var login = await CliRun.RunAsync(environment, null, ["login", registry.Url.ToString()]);
        Assert.True(login.ExitCode == 0, login.ToString());
        var file = AuthCliRegistry.ConfigFile(environment);
        AuthCliRegistry.AssertPrivate(file);

        // No --url and no NSCR_URL: the stored URL is used.
        var status = await CliRun.RunAsync(environment, null, ["status", "--json"]);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("embedded", status.Json.GetProperty("mode").GetString());

        var logout = await CliRun.RunAsync(environment, null, ["logout"]);
        Assert.Equal(0, logout.ExitCode);
        Assert.False(File.Exists(file));
        Assert.Equal("not logged in\n", (await CliRun.RunAsync(environment, null, ["logout"])).Out);
    }
}
