using System.Net;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Api.Throughput;

public sealed class ThroughputEndpointTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private RegistryClient Client => registry.Client;

    [Fact]
    public async Task A_push_and_a_pull_move_the_counters_of_their_kinds()
    {
        var before = await Client.HistoryAsync("minute");
        var repository = TestContent.Repository("throughput");
        var image = await Client.PushImageAsync(repository, "v1");
        var pushedBytes = image.Config.Size + image.Layers.Sum(l => l.Size);
        using (var manifest = await Client.GetAsync($"/v2/{repository}/manifests/v1")) await OciAssert.StatusAsync(HttpStatusCode.OK, manifest);
        using (var layer = await Client.GetAsync($"/v2/{repository}/blobs/{image.Layers[0].Digest}")) await OciAssert.StatusAsync(HttpStatusCode.OK, layer);

        bool Moved(JsonObject now, string kind, string field, long by) => now.Sum(kind, field) - before.Sum(kind, field) >= by;
        var after = await Client.HistoryUntilAsync("minute", now =>
            Moved(now, "blobPush", "requests", 2) && Moved(now, "blobPush", "bytesIn", pushedBytes)
            && Moved(now, "manifestPush", "requests", 1) && Moved(now, "manifestPush", "bytesIn", image.Manifest.Body.Length)
            && Moved(now, "manifestPull", "requests", 1) && Moved(now, "manifestPull", "bytesOut", image.Manifest.Body.Length)
            && Moved(now, "blobPull", "requests", 1) && Moved(now, "blobPull", "bytesOut", image.Layers[0].Size), Wait);

        // The same traffic is in the hour and day roll-ups.
        var day = await Client.HistoryAsync("day");
        Assert.Equal(after.Sum("manifestPush", "requests"), day.Sum("manifestPush", "requests"));
    }

    [Fact]
    public async Task The_history_has_the_documented_shape()
    {
        using (await Client.GetAsync("/v2/")) { }
        var seconds = await Client.HistoryUntilAsync("second", h => h["buckets"]!.AsArray().Count > 0, Wait);
        Assert.Equal("second", seconds["resolution"]!.GetValue<string>());
        Assert.Equal(1, seconds["bucketSeconds"]!.GetValue<long>());
        Assert.InRange(seconds["now"]!.GetValue<long>() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), -5, 5);
        var previous = long.MinValue;
        foreach (var bucket in seconds["buckets"]!.AsArray().Select(b => b!.AsObject()))
        {
            var t = bucket["t"]!.GetValue<long>();
            Assert.True(t > previous, "buckets are oldest first");
            previous = t;
            foreach (var field in new[] { "requests", "bytesIn", "bytesOut" })
            {
                var kinds = bucket["kinds"]!.AsObject();
                Assert.Equal(ThroughputApi.Kinds.Order(), kinds.Select(k => k.Key).Order());
                Assert.Equal(bucket[field]!.GetValue<long>(), kinds.Sum(k => k.Value![field]!.GetValue<long>()));
            }
        }

        foreach (var (resolution, size) in new[] { ("minute", 60L), ("hour", 3600L), ("day", 86400L) })
        {
            var history = await Client.HistoryAsync(resolution);
            Assert.Equal(resolution, history["resolution"]!.GetValue<string>());
            Assert.Equal(size, history["bucketSeconds"]!.GetValue<long>());
            Assert.NotEmpty(history["buckets"]!.AsArray());
            Assert.All(history["buckets"]!.AsArray(), b => Assert.Equal(0, b!["t"]!.GetValue<long>() % size));
        }
        var none = await Client.HistoryAsync($"minute&from={DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600}");
        Assert.Empty(none["buckets"]!.AsArray());
    }

    [Theory]
    [InlineData("resolution=week")]
    [InlineData("resolution=Minute")]
    [InlineData("resolution=minute&from=yesterday")]
    public async Task A_bad_parameter_is_a_400_error_document(string query)
    {
        using var response = await Client.GetAsync($"/api/throughput?{query}");
        var document = await AdminApi.JsonAsync(response, HttpStatusCode.BadRequest);
        var error = document["errors"]!.AsArray().Single()!;
        Assert.Equal("PARAMETER_INVALID", error["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_stream_sends_a_bucket_every_second_and_shows_a_push()
    {
        await using var sse = await SseClient.OpenAsync(Client.Http, "/api/throughput/stream");
        Assert.Equal("text/event-stream", sse.Response.Content.Headers.ContentType?.MediaType);
        var first = await sse.ReadEventAsync(Wait);
        var started = DateTime.UtcNow;
        var seconds = new List<long> { Start(first) };
        long lastId = long.Parse(first.Id!);
        for (var i = 0; i < 3; i++)
        {
            var next = await sse.ReadEventAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("throughput", next.Event);
            Assert.True(long.Parse(next.Id!) > lastId);
            lastId = long.Parse(next.Id!);
            seconds.Add(Start(next));
        }
        // Consecutive seconds, all-zero ones included, live: about one a second (not a backlog at once).
        Assert.Equal(Enumerable.Range(0, 4).Select(i => seconds[0] + i), seconds);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));

        var repository = TestContent.Repository("throughput-live");
        await Client.PushImageAsync(repository, "live");
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var bucket = JsonNode.Parse((await sse.ReadEventAsync(Wait)).Data)!;
            if (bucket["kinds"]!["manifestPush"]!["requests"]!.GetValue<long>() >= 1)
            {
                Assert.True(bucket["kinds"]!["blobPush"]!["bytesIn"]!.GetValue<long>() > 0 || bucket["bytesIn"]!.GetValue<long>() > 0);
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "the push never showed in the stream");
        }

        // A new stream can start with the recent seconds.
        await using var backlog = await SseClient.OpenAsync(Client.Http, "/api/throughput/stream?backlog=5");
        var recent = new List<long>();
        for (var i = 0; i < 5; i++) recent.Add(Start(await backlog.ReadEventAsync(TimeSpan.FromSeconds(2))));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => recent[0] + i), recent);
    }

    private static long Start(SseMessage message)
    {
        Assert.Equal("throughput", message.Event);
        return JsonNode.Parse(message.Data)!["t"]!.GetValue<long>();
    }
}
