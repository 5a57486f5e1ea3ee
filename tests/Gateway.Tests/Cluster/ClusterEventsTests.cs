using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nscr.Gateway.Events;
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

            // A cycle's start and end travel as two messages; Orleans does not order them, and a start arriving after
            // its end is dropped by design (the feed never shows a finished cycle as running): the end always comes.
            string[] expected = ["push v1", "delete v1", $"gc finished {cycle}"];
            await Task.WhenAll(streams.Select(async (stream, index) =>
            {
                var seen = new List<string>();
                var deadline = DateTime.UtcNow + Wait;
                while (!expected.All(seen.Contains))
                {
                    var left = deadline - DateTime.UtcNow;
                    Assert.True(left > TimeSpan.Zero, $"gateway {index} saw only [{string.Join(", ", seen)}]");
                    SseMessage message;
                    try
                    {
                        message = await stream.ReadEventAsync(left);
                    }
                    catch (TimeoutException)
                    {
                        Assert.Fail($"gateway {index} saw only [{string.Join(", ", seen)}]");
                        throw;
                    }
                    var data = JsonDocument.Parse(message.Data).RootElement;
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
                // Events raised on different gateways reach a third in the order their relays publish them, which
                // need not be the order of the requests: once each is what is promised.
                Assert.Equal(["delete", "push"], mine.Select(e => e.GetProperty("type").GetString()).Order());
                Assert.Equal(image.Digest.ToString(), mine.Single(e => LiveRegistry.Field(e, "type") == "push").GetProperty("digest").GetString());
                var gcEvents = events.GetProperty("events").EnumerateArray()
                    .Where(e => e.GetProperty("type").GetString() == "gc" && e.GetProperty("gcId").GetInt64() == cycle);
                Assert.Contains(gcEvents, e => e.GetProperty("state").GetString() == "finished");
                Assert.InRange(gcEvents.Count(), 1, 2);
            }
        }
        finally
        {
            foreach (var stream in streams) await stream.DisposeAsync();
            foreach (var client in clients) client.Dispose();
        }
    }

    /// <summary>
    /// Gateways subscribe while they start, possibly while the cluster still settles which silo holds the events grain:
    /// each gateway publishes in turn (a gateway that meets another activation than its own re-subscribes) until all
    /// three are subscribed to the same activation.
    /// </summary>
    private async Task WaitUntilSubscribedAsync()
    {
        var repository = TestContent.Repository("cluster-warmup");
        var relays = cluster.Services.Select(s => s.GetServices<IHostedService>().OfType<RegistryEventRelay>().Single()).ToList();
        var deadline = DateTime.UtcNow + Wait;
        for (var attempt = 0; ; attempt++)
        {
            await cluster.Gateways[attempt % cluster.Gateways.Count].PushImageAsync(repository, $"w{attempt}");
            var settle = DateTime.UtcNow + TimeSpan.FromSeconds(1);
            while (DateTime.UtcNow < settle)
            {
                var incarnations = relays.Select(r => r.Incarnation).Distinct().ToList();
                if (incarnations is [{ }]) return;
                Assert.True(DateTime.UtcNow < deadline, $"the gateways are subscribed to [{string.Join(", ", relays.Select(r => r.Incarnation))}]");
                await Task.Delay(20);
            }
        }
    }
}
