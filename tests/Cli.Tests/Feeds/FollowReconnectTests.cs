using System.Text.Json;
using Nscr.Cli.Tests.Infrastructure;
using Xunit;

namespace Nscr.Cli.Tests.Feeds;

/// <summary><c>--follow</c> over a stream that keeps dropping: it resumes after the last complete event, and stops at a refusal.</summary>
public sealed class FollowReconnectTests(FlakyFeedServer server) : IClassFixture<FlakyFeedServer>
{
    private readonly string configHome = Path.Combine(Path.GetTempPath(), "nscr-cli-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ReconnectsWithTheLastIdSeenAndPrintsEachEntryOnce()
    {
        using var follow = new FollowingRun(server.Environment(configHome), "logs", "--follow", "--json");
        await follow.WaitForAsync(o => o.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 3, "three entries over three connections");

        var run = await follow.InterruptAsync();
        Assert.True(run.ExitCode == 130, run.ToString());
        var entries = run.Out.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        // The list said lastId 5; each connection resumes after the last whole event, never after the half one.
        Assert.Equal([6L, 7L, 8L], entries.Take(3).Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal("entry 6", entries[0].GetProperty("message").GetString());
        Assert.Equal(["5", "6", "7"], server.ResumedAfter.Take(3));
        Assert.Contains("nscr: /api/logs/stream: the server ended the stream; reconnecting in 10 ms", run.Error);
    }

    [Fact]
    public async Task ARefusedStreamEndsWithItsExitCode()
    {
        var run = await CliRun.RunAsync(server.Environment(configHome), null, ["events", "-f"]);

        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains("permission denied (403): DENIED", run.Error);
        Assert.DoesNotContain("reconnecting", run.Error);
    }
}
