using System.Net;
using Nscr.Gateway.Tests.Api;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Observability;

public sealed class MetricsRegistry() : GcRegistry(new Dictionary<string, string> { ["Metrics:StorageRefreshSeconds"] = "0" });

public sealed class MetricsTests(MetricsRegistry registry) : IClassFixture<MetricsRegistry>
{
    private HttpClient Http => registry.Client.Http;

    [Fact]
    public async Task PushPullAndCollect_MoveTheMetrics()
    {
        var before = await PrometheusText.ScrapeAsync(Http);
        var image = await registry.Client.PushImageAsync("metrics/app", "v1", layers: 2);
        using (var pull = await registry.Client.GetAsync($"/v2/metrics/app/manifests/v1")) Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        using (var blob = await registry.Client.GetAsync($"/v2/metrics/app/blobs/{image.Layers[0].Digest}")) Assert.Equal(HttpStatusCode.OK, blob.StatusCode);

        // A response reaches the client just before its request is recorded: every expectation is polled for.
        await GrowsAsync(before, 1, "nscr_http_requests_total", "route=\"blob\"", "method=\"GET\"", "status=\"200\"");
        var after = await PrometheusText.ScrapeAsync(Http);
        await GrowsAsync(before, 1, "nscr_http_requests_total", "route=\"manifest\"", "method=\"PUT\"", "status=\"201\"");
        await GrowsAsync(before, 1, "nscr_http_requests_total", "route=\"manifest\"", "method=\"GET\"", "status=\"200\"");
        await GrowsAsync(before, 3, "nscr_http_requests_total", "route=\"upload\"", "method=\"POST\"", "status=\"201\"");
        await GrowsAsync(before, 1, "nscr_http_request_duration_seconds_count", "route=\"blob\"", "method=\"GET\"");
        await GrowsAsync(before, image.Layers.Sum(l => l.Size) + image.Config.Size, "nscr_http_received_bytes_total", "route=\"upload\"");
        await GrowsAsync(before, image.Manifest.Body.Length, "nscr_http_received_bytes_total", "route=\"manifest\"");
        await GrowsAsync(before, image.Layers[0].Size + image.Manifest.Body.Length, "nscr_http_sent_bytes_total");
        // Orleans' and the runtime's meters are exported too.
        await PollAsync(m => m.Has("orleans_catalog_activations") && m.Has("dotnet_gc_collections_total"));
        // Labels come from fixed sets: never a repository name or a digest.
        Assert.DoesNotContain("metrics/app", after.Text);
        Assert.DoesNotContain(image.Digest.ToString(), after.Text);

        // The gauges are recomputed in the background after a scrape finds them stale (refresh 0 s here).
        await PollAsync(m => m.Sum("nscr_storage_blobs") >= 4 && m.Sum("nscr_repositories") >= 1
            && m.Sum("nscr_storage_bytes") >= image.Layers.Sum(l => l.Size) + image.Manifest.Body.Length);

        using (var delete = await registry.Client.DeleteAsync($"/v2/metrics/app/manifests/{image.Digest}")) Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        using (var gc = await registry.Client.SendAsync(HttpMethod.Post, "/api/gc?wait=true")) Assert.Equal(HttpStatusCode.OK, gc.StatusCode);
        await GrowsAsync(after, 1, "nscr_http_requests_total", "route=\"api\"", "method=\"POST\"");
        await GrowsAsync(after, 1, "nscr_gc_cycles_total", "state=\"completed\"", "dry_run=\"false\"");
        await GrowsAsync(after, 4, "nscr_gc_deleted_blobs_total");
        await GrowsAsync(after, image.Layers.Sum(l => l.Size) + image.Config.Size + image.Manifest.Body.Length, "nscr_gc_reclaimed_bytes_total");
    }

    [Fact]
    public async Task AnUploadInProgress_IsCountedInFlight()
    {
        var location = await registry.Client.StartUploadAsync("metrics/inflight");
        var content = new HeldContent();
        var patch = registry.Client.SendAsync(HttpMethod.Patch, location, content);
        await content.FirstChunkSent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await PollAsync(m => m.Sum("nscr_uploads_active") >= 1);
        content.Release.SetResult();
        using var response = await patch;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task<PrometheusText> PollAsync(Func<PrometheusText, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var metrics = await PrometheusText.ScrapeAsync(Http);
            if (condition(metrics)) return metrics;
            Assert.True(DateTime.UtcNow < deadline, $"metrics never met the condition; nscr series:\n{string.Join('\n', metrics.Text.Split('\n').Where(l => l.StartsWith("nscr_", StringComparison.Ordinal) && !l.Contains("_bucket")))}");
            await Task.Delay(100);
        }
    }

    private Task GrowsAsync(PrometheusText before, double atLeast, string metric, params string[] labels) =>
        PollAsync(m => m.Sum(metric, labels) - before.Sum(metric, labels) >= atLeast);

    /// <summary>A chunked body that sends one chunk, then waits to be released before the last one.</summary>
    private sealed class HeldContent : HttpContent
    {
        public TaskCompletionSource FirstChunkSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(new byte[4096]);
            await stream.FlushAsync();
            FirstChunkSent.SetResult();
            await Release.Task;
            await stream.WriteAsync(new byte[4096]);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
