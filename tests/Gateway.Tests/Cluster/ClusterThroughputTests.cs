using Nscr.Gateway.Tests.Api.Throughput;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Cluster;

/// <summary>Throughput is cluster-wide: every gateway reports to the one stats grain, and every gateway shows the sum.</summary>
public sealed class ClusterThroughputTests(ClusterRegistry cluster) : IClassFixture<ClusterRegistry>
{
    [Fact]
    public async Task Every_gateway_shows_the_uploads_of_all_of_them()
    {
        var repository = TestContent.Repository("cluster-throughput");
        long total = 0;
        foreach (var (gateway, size) in cluster.Gateways.Zip(new[] { 1000, 2000, 4000 }))
        {
            total += (await gateway.PushRandomBlobAsync(repository, size)).Size;
        }
        foreach (var gateway in cluster.Gateways)
        {
            await gateway.HistoryUntilAsync("minute", h => h.Sum("blobPush", "bytesIn") == total, TimeSpan.FromSeconds(15));
        }

        await using var sse = await SseClient.OpenAsync(cluster.Gateways[2].Http, "/api/throughput/stream?backlog=30");
        long streamed = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (streamed < total)
        {
            var bucket = System.Text.Json.Nodes.JsonNode.Parse((await sse.ReadEventAsync(TimeSpan.FromSeconds(15))).Data)!;
            streamed += bucket["kinds"]!["blobPush"]!["bytesIn"]!.GetValue<long>();
            Assert.True(DateTime.UtcNow < deadline, $"the stream showed {streamed} of {total} bytes pushed");
        }
        Assert.Equal(total, streamed);
    }
}
