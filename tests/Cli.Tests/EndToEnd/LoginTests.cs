using Nscr.Cli.Tests.Infrastructure;
using Xunit;

namespace Nscr.Cli.Tests.EndToEnd;

/// <summary>login checks and stores the URL and credentials (mode 600 in a 700 directory); later commands use them.</summary>
public sealed class LoginTests(CliRegistry registry, BasicAuthServer auth) : IClassFixture<CliRegistry>, IClassFixture<BasicAuthServer>
{
    [Fact]
    public async Task LoginStoresTheUrlPrivatelyAndLogoutForgetsIt()
    {
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = Path.Combine(registry.Root, "login-url") };
        var login = await CliRun.RunAsync(environment, null, ["login", registry.Url.ToString()]);
        Assert.True(login.ExitCode == 0, login.ToString());
        var file = Path.Combine(environment["XDG_CONFIG_HOME"], "nscr", "config.json");
        Assert.False(OperatingSystem.IsWindows(), "nscr's tests run on Linux");
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));

        // No --url and no NSCR_URL: the stored URL is used.
        var status = await CliRun.RunAsync(environment, null, ["status", "--json"]);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("embedded", status.Json.GetProperty("mode").GetString());

        var logout = await CliRun.RunAsync(environment, null, ["logout"]);
        Assert.Equal(0, logout.ExitCode);
        Assert.False(File.Exists(file));
        Assert.Equal("not logged in\n", (await CliRun.RunAsync(environment, null, ["logout"])).Out);
    }

    [Fact]
    public async Task LoginWithWrongCredentialsExitsFourAndStoresNothing()
    {
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = Path.Combine(registry.Root, "login-wrong") };
        var run = await CliRun.RunAsync(environment, "wrong\n", ["login", auth.Url.ToString(), "-u", BasicAuthServer.User, "--password-stdin"]);
        Assert.Equal(4, run.ExitCode);
        Assert.Contains("authentication failed (401)", run.Error);
        Assert.DoesNotContain("wrong", run.Error);
        Assert.False(Directory.Exists(Path.Combine(environment["XDG_CONFIG_HOME"], "nscr")));
    }

    [Fact]
    public async Task StoredCredentialsAreSentToThatServerOnly()
    {
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = Path.Combine(registry.Root, "login-basic") };
        var login = await CliRun.RunAsync(environment, $"{BasicAuthServer.Password}\n", ["login", auth.Url.ToString(), "-u", BasicAuthServer.User, "--password-stdin"]);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"logged in to {auth.Url} as admin", login.Out);
        var stored = await File.ReadAllTextAsync(Path.Combine(environment["XDG_CONFIG_HOME"], "nscr", "config.json"));
        Assert.Contains(BasicAuthServer.Password, stored);

        var status = await CliRun.RunAsync(environment, null, ["status"]);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("version       test", status.Out);

        // Other credentials in the environment win over the stored ones, and are refused.
        var wrong = await CliRun.RunAsync(new Dictionary<string, string>(environment) { ["NSCR_USERNAME"] = "eve", ["NSCR_PASSWORD"] = "x" }, null, ["status"]);
        Assert.Equal(4, wrong.ExitCode);

        // Another server does not get the stored password.
        auth.Users.Clear();
        var other = await CliRun.RunAsync(environment, null, ["status", "--url", registry.Url.ToString(), "--json"]);
        Assert.True(other.ExitCode == 0, other.ToString());
        Assert.Empty(auth.Users);
    }
}
