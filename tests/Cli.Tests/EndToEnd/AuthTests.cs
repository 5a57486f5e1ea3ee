using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Cli.Tests.Infrastructure;
using Xunit;

namespace Nscr.Cli.Tests.EndToEnd;

/// <summary>
/// The CLI against the real registry with authentication on (htpasswd, bcrypt): login stores working credentials,
/// wrong ones exit 4 and store nothing, a user without the admin role exits 4 on admin commands, and credentials come
/// from flags (before or after the subcommand) or NSCR_USERNAME/NSCR_PASSWORD too.
/// </summary>
public sealed class AuthTests(AuthCliRegistry auth) : IClassFixture<AuthCliRegistry>
{
    [Fact]
    public async Task AdminLoginThenCommandsUseTheStoredCredentials()
    {
        var environment = auth.Environment("login-admin");
        var login = await CliRun.RunAsync(environment, $"{auth.AdminPassword}\n", ["login", auth.Url.ToString(), "-u", AuthCliRegistry.Admin, "--password-stdin"]);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"logged in to {auth.Url} as admin", login.Out);
        var file = AuthCliRegistry.ConfigFile(environment);
        AuthCliRegistry.AssertPrivate(file);
        Assert.Contains(auth.AdminPassword, await File.ReadAllTextAsync(file));

        var status = await CliRun.RunAsync(environment, null, ["status", "--json"]);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("embedded", status.Json.GetProperty("mode").GetString());
        var repos = await CliRun.RunAsync(environment, null, ["repos"]);
        Assert.True(repos.ExitCode == 0, repos.ToString());
        var gc = await CliRun.RunAsync(environment, null, ["gc", "--wait", "--json"]);
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal("completed", gc.Json.GetProperty("state").GetString());

        // Other credentials in the environment win over the stored ones, and are refused.
        var wrong = await CliRun.RunAsync(
            new Dictionary<string, string>(environment) { ["NSCR_USERNAME"] = "eve", ["NSCR_PASSWORD"] = "x" }, null, ["status"]);
        Assert.Equal(4, wrong.ExitCode);

        // The same server under another name is another server: the stored password is not sent there.
        var otherName = $"http://localhost:{auth.Url.Port}/";
        var other = await CliRun.RunAsync(environment, null, ["status", "--url", otherName]);
        Assert.True(other.ExitCode == 4, other.ToString());
        Assert.Contains("authentication failed (401)", other.Error);
    }

    [Fact]
    public async Task WrongPasswordExitsFourAndStoresNothing()
    {
        var environment = auth.Environment("login-wrong");
        var run = await CliRun.RunAsync(environment, "not-the-password\n", ["login", auth.Url.ToString(), "-u", AuthCliRegistry.Admin, "--password-stdin"]);

        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains("authentication failed (401)", run.Error);
        Assert.DoesNotContain("not-the-password", run.Error + run.Out);
        Assert.False(Directory.Exists(Path.Combine(environment["XDG_CONFIG_HOME"], "nscr")));
    }

    [Fact]
    public async Task AnAdminFollowsTheLogStreamWithItsCredentials()
    {
        var marker = $"marker-{Guid.NewGuid():N}";
        var environment = auth.Environment($"follow-{Guid.NewGuid():N}");
        environment["NSCR_URL"] = auth.Url.ToString();
        environment["NSCR_USERNAME"] = AuthCliRegistry.Admin;
        environment["NSCR_PASSWORD"] = auth.AdminPassword;
        var logger = auth.Registry.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Nscr.Cli.Tests.Auth");
        logger.LogWarning("{Marker} first", marker);

        using var follow = new FollowingRun(environment, "logs", "-f", "--grep", marker);
        await follow.WaitForAsync(o => o.Contains($"{marker} first"), "the first entry, from the list");
        logger.LogWarning("{Marker} second", marker);
        await follow.WaitForAsync(o => o.Contains($"{marker} second"), "the second entry, from the stream");

        var run = await follow.InterruptAsync();
        Assert.True(run.ExitCode == 130, run.ToString());
        Assert.DoesNotContain(auth.AdminPassword, run.Out + run.Error);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("repos")]
    [InlineData("gc", "--wait")]
    [InlineData("logs", "--follow")]
    [InlineData("events", "-f")]
    [InlineData("throughput")]
    [InlineData("login")]
    public async Task AReaderIsRefusedAdminCommands(params string[] command)
    {
        var environment = auth.Environment($"reader-{Guid.NewGuid():N}");
        environment["NSCR_URL"] = auth.Url.ToString();
        environment["NSCR_USERNAME"] = AuthCliRegistry.Reader;
        environment["NSCR_PASSWORD"] = auth.ReaderPassword;

        var run = await CliRun.RunAsync(environment, null, command);

        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains("permission denied (403)", run.Error);
        Assert.DoesNotContain(auth.ReaderPassword, run.Error + run.Out);
        Assert.False(File.Exists(AuthCliRegistry.ConfigFile(environment)));
    }

    [Theory]
    [InlineData(true, "status", "--url", "{url}", "--username", "admin", "--password", "{password}", "--json")]
    [InlineData(true, "--url", "{url}", "--username", "admin", "--password", "{password}", "--json", "status")]
    [InlineData(true, "-u", "admin", "status", "--url", "{url}", "-p", "{password}", "--json")]
    [InlineData(false, "--url", "{url}", "--json", "status")]
    public async Task FlagsOrTheEnvironmentCarryCredentials(bool flags, params string[] args)
    {
        var environment = auth.Environment($"flags-{Guid.NewGuid():N}");
        if (!flags)
        {
            environment["NSCR_USERNAME"] = AuthCliRegistry.Admin;
            environment["NSCR_PASSWORD"] = auth.AdminPassword;
        }
        var resolved = args.Select(a => a.Replace("{url}", auth.Url.ToString()).Replace("{password}", auth.AdminPassword)).ToArray();

        var run = await CliRun.RunAsync(environment, null, resolved);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("embedded", run.Json.GetProperty("mode").GetString());
        Assert.False(File.Exists(AuthCliRegistry.ConfigFile(environment)));
    }

    [Fact]
    public async Task NoCredentialsExitFourWithAHint()
    {
        var run = await CliRun.RunAsync(auth.Environment("anonymous"), null, ["--url", auth.Url.ToString(), "status"]);

        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains("authentication failed (401)", run.Error);
        Assert.Contains("nscr login", run.Error);
    }

    /// <summary>torture reads the registry and credentials where every command does: here the stored login.</summary>
    [Fact]
    public async Task TortureUsesTheStoredLogin()
    {
        var environment = auth.Environment("torture");
        var login = await CliRun.RunAsync(environment, $"{auth.AdminPassword}\n", ["login", auth.Url.ToString(), "-u", AuthCliRegistry.Admin, "--password-stdin"]);
        Assert.True(login.ExitCode == 0, login.ToString());

        var run = await CliRun.RunAsync(environment, null, ["torture", "--duration", "1s", "--workers", "1", "--no-gc", "--seed", "7", "--json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(auth.Url.ToString(), run.Error);
        Assert.True(run.Json.GetProperty("passed").GetBoolean(), run.ToString());
    }
}
