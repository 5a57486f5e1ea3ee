using System.Net;
using System.Text.Json;
using Nscr.Gateway.Tests.Api.Live;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Cluster;

/// <summary>Registry events fan out through the cluster: every gateway's feed holds what happened on any of them.</summary>
public sealed class ClusterEventsTests(ClusterRegistry cluster) : IClassFixture<ClusterRegistry>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_gateway_streams_the_pushes_deletes_and_gc_cycles_of_the_others_once()
    {
        await WaitUntilSubscribedAsync();
        var repository = TestContent.Repository("cluster-events");
        var clients = cluster.Gateways.Select(g => new HttpClient { BaseAddress = g.Http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan }).ToList();
        var streams = new List<SseClient>();
        try
        {
            foreach (var client in clients) streams.Add(await SseClient.OpenAsync(client, "/api/events/stream"));

            // A push through the pure gateway, a delete through a node's admin API, a GC cycle started on the other node.
            var image = await cluster.Gateways[2].PushImageAsync(repository, "v1");
            using (var deleted = await cluster.Gateways[1].DeleteAsync($"/api/repositories/{repository}/tags/v1"))
            {
                Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
            }
            using var gc = await cluster.Gateways[0].SendAsync(HttpMethod.Post, "/api/gc?wait=true");
            var cycle = JsonDocument.Parse(await gc.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();

            string[] expected = ["push v1", "delete v1", $"gc running {cycle}", $"gc finished {cycle}"];
            await Task.WhenAll(streams.Select(async (stream, index) =>
            {
                var seen = new List<string>();
                var deadline = DateTime.UtcNow + Wait;
                while (!expected.All(seen.Contains))
                {
                    var left = deadline - DateTime.UtcNow;
                    Assert.True(left > TimeSpan.Zero, $"gateway {index} saw only [{string.Join(", ", seen)}]");
                    var data = JsonDocument.Parse((await stream.ReadEventAsync(left)).Data).RootElement;
                    var type = data.GetProperty("type").GetString();
                    if (type == "gc") seen.Add($"gc {data.GetProperty("state").GetString()} {data.GetProperty("gcId").GetInt64()}");
                    else if (LiveRegistry.Field(data, "repository") == repository) seen.Add($"{type} {data.GetProperty("reference").GetString()}");
                }
            }));

            // Once each: the copy the cluster sends back to the gateway that raised an event is not added again.
            foreach (var gateway in cluster.Gateways)
            {
                var events = await LiveRegistry.GetJsonAsync(gateway, "/api/events?limit=5000");
                var mine = events.GetProperty("events").EnumerateArray().Where(e => LiveRegistry.Field(e, "repository") == repository).ToList();
                Assert.Equal(["push", "delete"], mine.Select(e => e.GetProperty("type").GetString()));
                Assert.Equal(image.Digest.ToString(), mine[0].GetProperty("digest").GetString());
                var gcEvents = events.GetProperty("events").EnumerateArray()
                    .Where(e => e.GetProperty("type").GetString() == "gc" && e.GetProperty("gcId").GetInt64() == cycle);
                Assert.Equal(2, gcEvents.Count());
            }
        }
        finally
        {
            foreach (var stream in streams) await stream.DisposeAsync();
            foreach (var client in clients) client.Dispose();
        }
    }

    /// <summary>
    /// Gateways subscribe while they start; a push through the first node seen by the two others shows their
    /// subscriptions are in place (pushed again until then, within a deadline).
    /// </summary>
    private async Task WaitUntilSubscribedAsync()
    {
        var repository = TestContent.Repository("cluster-warmup");
        var deadline = DateTime.UtcNow + Wait;
        for (var attempt = 1; ; attempt++)
        {
            await cluster.Gateways[0].PushImageAsync(repository, $"w{attempt}");
            var retry = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            while (DateTime.UtcNow < retry)
            {
                var seen = 0;
                foreach (var gateway in cluster.Gateways.Skip(1))
                {
                    var events = await LiveRegistry.GetJsonAsync(gateway, "/api/events?limit=5000");
                    if (events.GetProperty("events").EnumerateArray().Any(e => LiveRegistry.Field(e, "repository") == repository)) seen++;
                }
                if (seen == cluster.Gateways.Count - 1) return;
                Assert.True(DateTime.UtcNow < deadline, "the other gateways never received a push made through the first node");
                await Task.Delay(50);
            }
        }
    }
}
