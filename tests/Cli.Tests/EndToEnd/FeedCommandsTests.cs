using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nscr.Cli.Tests.Infrastructure;
using Xunit;

namespace Nscr.Cli.Tests.EndToEnd;

/// <summary>
/// logs, events and throughput against the real registry: filters, human lines and NDJSON, <c>--follow</c> receiving what
/// happens after it started (ended as Ctrl+C would, exit 130), and the bad-option exits.
/// </summary>
public sealed class FeedCommandsTests(FeedsCliRegistry feeds) : IClassFixture<FeedsCliRegistry>
{
    private CliRegistry Registry => feeds.Registry;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>
    /// Runs the CLI until its output satisfies <paramref name="done"/>: a request's event and log entry may be recorded
    /// just after its answer went out.
    /// </summary>
    private async Task<CliRun> RunUntilAsync(Func<CliRun, bool> done, params string[] args)
    {
        var deadline = DateTime.UtcNow + FollowingRun.Wait;
        while (true)
        {
            var run = await Registry.RunAsync(args);
            Assert.True(run.ExitCode == 0, run.ToString());
            if (done(run)) return run;
            Assert.True(DateTime.UtcNow < deadline, $"not there within {FollowingRun.Wait}: {run}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task LogsFilterByLevelAndTextAndPrintNdjson()
    {
        var marker = Unique("marker");
        feeds.Logger.LogInformation("{Marker} information", marker);
        feeds.Logger.LogWarning("{Marker} warning", marker);
        feeds.Logger.LogError(new InvalidOperationException("boom\nsecond line"), "{Marker} error", marker);

        var warnings = await Registry.RunAsync("logs", "--level", "Warning", "--grep", marker);
        Assert.True(warnings.ExitCode == 0, warnings.ToString());
        var lines = warnings.Out.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z WARN  Feeds: marker-\w+ warning$", lines[0]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z ERROR Feeds: marker-\w+ error$", lines[1]);
        Assert.Equal("    System.InvalidOperationException: boom", lines[2]);
        Assert.Equal("    second line", lines[3]);
        Assert.DoesNotContain("information", warnings.Out);

        var errors = await Registry.RunAsync("logs", "--level", "error", "--grep", marker);
        Assert.DoesNotContain("warning", errors.Out);
        Assert.Contains($"{marker} error", errors.Out);

        var json = await Registry.RunAsync("logs", "--grep", marker, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var entries = json.Out.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        Assert.Equal(["Information", "Warning", "Error"], entries.Select(e => e.GetProperty("level").GetString()));
        Assert.Equal(FeedsCliRegistry.TestCategory, entries[0].GetProperty("category").GetString());
        Assert.Equal($"{marker} information", entries[0].GetProperty("message").GetString());
        Assert.True(entries[0].GetProperty("id").GetInt64() < entries[1].GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("exception").ValueKind);
        Assert.Contains("boom", entries[2].GetProperty("exception").GetString());

        var limited = await Registry.RunAsync("logs", "--grep", marker, "--json", "--limit", "1");
        Assert.Contains("\"Error\"", Assert.Single(limited.Out.TrimEnd('\n').Split('\n')));

        var none = await Registry.RunAsync("logs", "--grep", Unique("nothing"));
        Assert.True(none.ExitCode == 0 && none.Out.Length == 0, none.ToString());
        Assert.Contains("no log entry matches", none.Error);
    }

    [Fact]
    public async Task LogsRefuseAnUnknownLevel()
    {
        var run = await Registry.RunAsync("logs", "--level", "Loud");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("PARAMETER_INVALID", run.Error);
        Assert.Contains("'level' must be one of", run.Error);
    }

    [Fact]
    public async Task LogsFollowPrintsTheRequestLogOfAPushMadeWhileFollowing()
    {
        var before = Unique("follow/before");
        var after = Unique("follow/after");
        await Registry.Pusher.PushImageAsync(before, "1", [ImagePusher.RandomBytes(100)]);
        using var follow = new FollowingRun(Registry.Environment(), "logs", "-f", "--grep", "follow/", "--json");
        // The earlier push comes from the list: once it is printed, what follows can only come through the stream.
        await follow.WaitForAsync(o => o.Contains($"manifest {before}"), "earlier push in the list");
        await Registry.Pusher.PushImageAsync(after, "1", [ImagePusher.RandomBytes(100)]);
        await follow.WaitForAsync(o => o.Contains($"manifest {after}"), "entry of the push made while following");

        var run = await follow.InterruptAsync();
        Assert.True(run.ExitCode == 130, run.ToString());
        Assert.Contains("nscr: interrupted", run.Error);
        var lines = run.Out.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        var ids = lines.Select(e => e.GetProperty("id").GetInt64()).ToArray();
        Assert.Equal(ids.Order().Distinct(), ids);
        Assert.All(lines, e => Assert.Contains("follow/", e.GetProperty("message").GetString()));
        Assert.Single(lines, e => e.GetProperty("message").GetString()!.Contains($"PUT manifest {after}"));
    }

    [Fact]
    public async Task EventsListAPushAndFollowPushesAndDeletes()
    {
        var repository = Unique("events/one");
        var pushed = await Registry.Pusher.PushImageAsync(repository, "1.0", [ImagePusher.RandomBytes(1000)]);

        var json = await RunUntilAsync(r => r.Out.Contains(repository), "events", "--json");
        var push = json.Out.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement)
            .Single(e => e.GetProperty("repository").GetString() == repository);
        Assert.Equal("push", push.GetProperty("type").GetString());
        Assert.Equal("1.0", push.GetProperty("reference").GetString());
        Assert.Equal(pushed.Digest, push.GetProperty("digest").GetString());
        Assert.Equal(pushed.Size, push.GetProperty("sizeBytes").GetInt64());

        var human = await Registry.RunAsync("events");
        Assert.Matches($@"(?m)^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{{3}}Z push    {repository}:1\.0 {pushed.Digest[..19]} oci manifest {pushed.Size} B$", human.Out);

        var later = Unique("events/two");
        using var follow = new FollowingRun(Registry.Environment(), "events", "--follow");
        await follow.WaitForAsync(o => o.Contains($"push    {repository}:1.0"), "the earlier push in the list");
        var second = await Registry.Pusher.PushImageAsync(later, "2", [ImagePusher.RandomBytes(1000)]);
        var rm = await Registry.RunAsync("rm", $"{later}:2", "--yes");
        Assert.True(rm.ExitCode == 0, rm.ToString());
        await follow.WaitForAsync(o => o.Contains($"delete  tag {later}:2"), "the deletion made while following");

        var run = await follow.InterruptAsync();
        Assert.True(run.ExitCode == 130, run.ToString());
        Assert.Contains($"push    {later}:2 {second.Digest[..19]}", run.Out);
        Assert.True(run.Out.IndexOf($"push    {later}:2", StringComparison.Ordinal) < run.Out.IndexOf($"delete  tag {later}:2", StringComparison.Ordinal));

        var gc = await Registry.RunAsync("gc", "--wait", "--json");
        Assert.True(gc.ExitCode == 0, gc.ToString());
        var cycle = gc.Json.GetProperty("id").GetInt64();
        var cycles = await RunUntilAsync(r => r.Out.Contains($"cycle {cycle} completed"), "events", "--limit", "5");
        Assert.Matches($@"(?m)^\S+ \S+ gc      cycle {cycle} started \(\w+\)$", cycles.Out);
        Assert.Matches($@"(?m)^\S+ \S+ gc      cycle {cycle} completed in .+: deleted \d+ tags, \d+ manifests, \d+ blobs, reclaimed .+$", cycles.Out);
    }

    [Fact]
    public async Task ThroughputShowsTheTrafficOfAPush()
    {
        var repository = Unique("traffic/app");
        await Registry.Pusher.PushBlobAsync(repository, ImagePusher.RandomBytes(50_000));

        // The gateway reports each second to the stats grain: poll until the push is in a bucket.
        var history = (await RunUntilAsync(
            r => r.Json.GetProperty("buckets").EnumerateArray().Any(b => b.GetProperty("kinds").GetProperty("blobPush").GetProperty("bytesIn").GetInt64() >= 50_000),
            "throughput", "--resolution", "second", "--since", "10m", "--json")).Json;
        Assert.Equal("second", history.GetProperty("resolution").GetString());
        Assert.Equal(1, history.GetProperty("bucketSeconds").GetInt32());

        var human = await Registry.RunAsync("throughput", "--resolution", "second");
        Assert.True(human.ExitCode == 0, human.ToString());
        var lines = human.Out.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^TIME\s+REQUESTS\s+IN\s+OUT\s+BLOB PUSH\s+BLOB PULL\s+MANIFEST PUSH\s+MANIFEST PULL\s+OTHER$", lines[0]);
        Assert.Contains(lines.Skip(1), l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+\d+\s+[\d.]+ \S+\s+[\d.]+ \S+\s+\d+ \([\d.]+ \S+\)"));

        var minutes = await Registry.RunAsync("throughput", "--json");
        Assert.Equal("minute", minutes.Json.GetProperty("resolution").GetString());
        Assert.NotEmpty(minutes.Json.GetProperty("buckets").EnumerateArray());
    }

    [Theory]
    [InlineData("--resolution", "fortnight", "--resolution must be second, minute, hour or day, not 'fortnight'")]
    [InlineData("--since", "yesterday", "'yesterday' is not a duration")]
    public async Task ThroughputRefusesBadOptions(string option, string value, string message)
    {
        var run = await Registry.RunAsync("throughput", option, value);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Error);
    }
}
