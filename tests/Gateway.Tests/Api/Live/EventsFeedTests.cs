using System.Globalization;
using System.Net;
using System.Text.Json;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Api.Live;

/// <summary>/api/events and /api/events/stream over real HTTP, from real pushes, deletes and GC cycles.</summary>
public sealed class EventsFeedTests(LiveRegistry registry) : IClassFixture<LiveRegistry>
{
    [Fact]
    public async Task Pushes_and_deletes_through_OCI_and_the_admin_API_stream_as_events()
    {
        var repository = TestContent.Repository("events");
        var other = TestContent.Repository("events");
        var before = (await LiveRegistry.GetJsonAsync(registry.Client, "/api/events?limit=1")).GetProperty("lastId").GetInt64();
        await using var sse = await SseClient.OpenAsync(registry.Streams, "/api/events/stream");

        var v1 = await registry.Client.PushImageAsync(repository, "v1");
        var v2 = await registry.Client.PushImageAsync(repository, "v2", mediaType: MediaTypes.DockerManifest);
        var untagged = await registry.Client.PushImageAsync(other, tag: null);
        await DeleteAsync($"/v2/{repository}/manifests/v1");
        await DeleteAsync($"/api/repositories/{repository}/tags/v2");
        await DeleteAsync($"/api/repositories/{repository}/manifests/{v1.Digest}");
        await DeleteAsync($"/v2/{repository}/manifests/{v2.Digest}");
        await DeleteAsync($"/api/repositories/{other}");

        var read = await LiveRegistry.ReadUntilAsync(sse, e => LiveRegistry.Field(e, "target") == "repository");
        var mine = read.Where(r => LiveRegistry.Field(r.Data, "repository") is { } name && (name == repository || name == other)).ToList();
        Assert.Equal(
            [
                "push v1", "push v2", $"push {untagged.Digest}",
                "delete tag v1", "delete tag v2", $"delete manifest {v1.Digest}", $"delete manifest {v2.Digest}", $"delete repository {other}",
            ],
            mine.Select(r => r.Data.GetProperty("type").GetString() + " " + (r.Data.TryGetProperty("target", out var t) ? t.GetString() + " " : "")
                + r.Data.GetProperty("reference").GetString()));
        Assert.All(mine, r => Assert.Equal(r.Data.GetProperty("type").GetString(), r.Message.Event));
        Assert.All(mine, r => Assert.Equal(r.Message.Id, r.Data.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)));

        var push = mine[1].Data;
        Assert.Equal(repository, push.GetProperty("repository").GetString());
        Assert.Equal(v2.Digest.ToString(), push.GetProperty("digest").GetString());
        Assert.Equal(MediaTypes.DockerManifest, push.GetProperty("mediaType").GetString());
        Assert.Equal(v2.Manifest.Body.Length, push.GetProperty("sizeBytes").GetInt64());
        Assert.True(DateTimeOffset.UtcNow - push.GetProperty("time").GetDateTimeOffset() < TimeSpan.FromMinutes(1));

        // The JSON list holds the same events with the same ids.
        var listed = await LiveRegistry.GetJsonAsync(registry.Client, $"/api/events?after={before}&limit=1000");
        var ids = listed.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(read.Select(r => r.Data.GetProperty("id").GetInt64()), ids.Take(read.Count));
        Assert.Equal(
            read.Select(r => r.Data.GetRawText()),
            listed.GetProperty("events").EnumerateArray().Take(read.Count).Select(e => e.GetRawText()));
        Assert.True(listed.GetProperty("lastId").GetInt64() >= ids[^1]);
    }

    [Fact]
    public async Task A_gc_cycle_streams_as_running_then_finished_with_its_report()
    {
        var repository = TestContent.Repository("events-gc");
        var image = await registry.Client.PushImageAsync(repository, "v1");
        await DeleteAsync($"/v2/{repository}/manifests/{image.Digest}");
        await using var sse = await SseClient.OpenAsync(registry.Streams, "/api/events/stream");

        using var gc = await registry.Client.SendAsync(HttpMethod.Post, "/api/gc?wait=true");
        var report = JsonDocument.Parse(await gc.Content.ReadAsStringAsync()).RootElement;
        var cycle = report.GetProperty("id").GetInt64();

        var read = await LiveRegistry.ReadUntilAsync(sse, e => e.GetProperty("type").GetString() == "gc" && e.GetProperty("state").GetString() == "finished");
        var cycleEvents = read.Where(r => r.Message.Event == "gc").Select(r => r.Data).ToList();
        Assert.Equal(["running", "finished"], cycleEvents.Select(e => e.GetProperty("state").GetString()));
        Assert.All(cycleEvents, e => Assert.Equal(cycle, e.GetProperty("gcId").GetInt64()));
        Assert.Equal("running", cycleEvents[0].GetProperty("outcome").GetString());
        var finished = cycleEvents[1];
        Assert.Equal("completed", finished.GetProperty("outcome").GetString());
        Assert.False(finished.GetProperty("dryRun").GetBoolean());
        Assert.Equal("api", finished.GetProperty("trigger").GetString());
        Assert.Equal(report.GetProperty("bytesReclaimed").GetInt64(), finished.GetProperty("bytesReclaimed").GetInt64());
        Assert.True(finished.GetProperty("bytesReclaimed").GetInt64() > 0);
        Assert.True(finished.GetProperty("deletedBlobs").GetInt32() >= 3);
        Assert.NotEqual(finished.GetProperty("id").GetInt64(), cycleEvents[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Resuming_with_Last_Event_ID_delivers_exactly_the_missed_events_then_heartbeats()
    {
        var repository = TestContent.Repository("events-resume");
        string lastSeen;
        await using (var sse = await SseClient.OpenAsync(registry.Streams, "/api/events/stream"))
        {
            await registry.Client.PushImageAsync(repository, "v1");
            await registry.Client.PushImageAsync(repository, "v2");
            var seen = await LiveRegistry.ReadUntilAsync(sse, e => LiveRegistry.Field(e, "repository") == repository && LiveRegistry.Field(e, "reference") == "v2");
            lastSeen = seen[^1].Message.Id!;
        }
        for (var i = 3; i <= 5; i++) await registry.Client.PushImageAsync(repository, $"v{i}");

        // The query-string form, for clients that cannot set the header.
        await using var resumed = await SseClient.OpenAsync(registry.Streams, $"/api/events/stream?lastEventId={lastSeen}");
        var missed = new List<SseMessage>();
        for (var i = 0; i < 3; i++) missed.Add(await resumed.ReadEventAsync(LiveRegistry.Wait));
        Assert.Equal(["v3", "v4", "v5"], missed.Select(m => JsonDocument.Parse(m.Data).RootElement.GetProperty("reference").GetString()));
        var first = long.Parse(lastSeen, CultureInfo.InvariantCulture);
        Assert.Equal([first + 1, first + 2, first + 3], missed.Select(m => long.Parse(m.Id!, CultureInfo.InvariantCulture)));
        var next = await resumed.ReadAsync(LiveRegistry.Wait);
        Assert.True(next is { IsComment: true, Data: "heartbeat" }, $"expected a heartbeat, got {next}");
    }

    [Fact]
    public async Task Fifty_concurrent_streams_each_get_every_event()
    {
        const int Clients = 50;
        var repository = TestContent.Repository("events-many");
        var streams = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => SseClient.OpenAsync(registry.Streams, "/api/events/stream")));
        try
        {
            var image = await registry.Client.PushImageAsync(repository, "v1");
            await DeleteAsync($"/v2/{repository}/manifests/v1");

            var started = DateTime.UtcNow;
            var received = await Task.WhenAll(streams.Select(s =>
                LiveRegistry.ReadUntilAsync(s, e => LiveRegistry.Field(e, "type") == "delete" && LiveRegistry.Field(e, "repository") == repository)));
            foreach (var events in received)
            {
                var mine = events.Where(r => LiveRegistry.Field(r.Data, "repository") == repository).Select(r => r.Message.Event + " " + r.Data.GetProperty("reference").GetString());
                Assert.Equal(["push v1", "delete v1"], mine);
            }
            // Every stream carries the same ids: one feed, not one per client.
            Assert.Single(received.Select(r => r[^1].Message.Id).Distinct());
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), $"50 streams took {DateTime.UtcNow - started} to deliver");
            // The registry still answers at once with the streams open.
            using var status = await registry.Client.GetAsync($"/v2/{repository}/manifests/{image.Digest}");
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        }
        finally
        {
            foreach (var stream in streams) await stream.DisposeAsync();
        }
    }

    private async Task DeleteAsync(string path)
    {
        using var response = await registry.Client.DeleteAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"DELETE {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
