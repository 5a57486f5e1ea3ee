using Nscr.Cli.Tests.Infrastructure;
using Xunit;

namespace Nscr.Cli.Tests.EndToEnd;

/// <summary>Exit codes scripts rely on: 2 usage, 3 not found, 5 unreachable.</summary>
public sealed class ErrorTests(CliRegistry registry) : IClassFixture<CliRegistry>
{
    [Theory]
    [InlineData("status")]
    [InlineData("repos")]
    [InlineData("gc", "--wait")]
    public async Task ARefusedConnectionExitsFive(params string[] args)
    {
        var port = FreePort();
        var run = await registry.RunAsync([.. args, "--url", $"http://127.0.0.1:{port}"]);
        Assert.Equal(5, run.ExitCode);
        Assert.Equal($"nscr: cannot reach nscr at http://127.0.0.1:{port}/: connection refused\n", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task UnknownThingsExitThree()
    {
        var tags = await registry.RunAsync("tags", "no/such/repository");
        Assert.Equal(3, tags.ExitCode);
        Assert.Contains("NAME_UNKNOWN", tags.Error);
        var inspect = await registry.RunAsync("inspect", "no/such/repository:1", "--json");
        Assert.Equal(3, inspect.ExitCode);
        Assert.Empty(inspect.Out);
        var rm = await registry.RunAsync("rm", "--repo", "no/such/repository", "--yes");
        Assert.Equal(3, rm.ExitCode);
    }

    [Theory]
    [InlineData("status", "--bogus")]
    [InlineData("tags")]
    [InlineData("inspect", "Upper/Case:1")]
    [InlineData("inspect", "repo@notadigest")]
    [InlineData("rm", "repo")]
    [InlineData("rm", "repo:1", "--repo", "repo")]
    [InlineData("status", "--url", "ftp://host")]
    [InlineData("nonsense")]
    public async Task UsageErrorsExitTwo(params string[] args)
    {
        var run = await registry.RunAsync(args);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.NotEmpty(run.Error);
    }

    [Theory]
    [InlineData]
    [InlineData("status")]
    [InlineData("rm")]
    [InlineData("gc")]
    [InlineData("login")]
    public async Task HelpIsEverywhere(params string[] command)
    {
        var run = await registry.RunAsync([.. command, "--help"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage:", run.Out);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
