using Nscr.Gateway.Observability;
using Nscr.Gateway.Stats;
using Nscr.Grains;

namespace Nscr.Gateway.Tests.Api.Throughput;

public sealed class ThroughputClassificationTests
{
    [Theory]
    [InlineData("POST", "/v2/a/b/blobs/uploads/", ThroughputKind.BlobPush)]
    [InlineData("PATCH", "/v2/a/blobs/uploads/0f1e", ThroughputKind.BlobPush)]
    [InlineData("PUT", "/v2/a/blobs/uploads/0f1e", ThroughputKind.BlobPush)]
    [InlineData("GET", "/v2/a/blobs/uploads/0f1e", ThroughputKind.Other)]
    [InlineData("DELETE", "/v2/a/blobs/uploads/0f1e", ThroughputKind.Other)]
    [InlineData("GET", "/v2/a/blobs/sha256:00", ThroughputKind.BlobPull)]
    [InlineData("HEAD", "/v2/a/blobs/sha256:00", ThroughputKind.Other)]
    [InlineData("PUT", "/v2/a/manifests/v1", ThroughputKind.ManifestPush)]
    [InlineData("GET", "/v2/a/manifests/v1", ThroughputKind.ManifestPull)]
    [InlineData("HEAD", "/v2/a/manifests/v1", ThroughputKind.ManifestPull)]
    [InlineData("DELETE", "/v2/a/manifests/v1", ThroughputKind.Other)]
    [InlineData("GET", "/v2/a/tags/list", ThroughputKind.Other)]
    [InlineData("GET", "/api/status", ThroughputKind.Other)]
    [InlineData("GET", "/ui/app.js", ThroughputKind.Other)]
    public void Requests_are_counted_by_kind(string method, string path, ThroughputKind kind) =>
        Assert.Equal(kind, ThroughputRecorder.Classify(method, RequestRoute.Classify(path).Kind));

    [Fact]
    public void Taking_a_second_resets_the_counters_and_an_idle_second_is_nothing()
    {
        var recorder = new ThroughputRecorder();
        Assert.Null(recorder.Take(10));
        recorder.Record("PUT", RouteKinds.Manifest, 300, 0);
        recorder.Record("GET", RouteKinds.Blob, 0, 4096);
        recorder.Record("GET", RouteKinds.Blob, 0, 4);
        var bucket = recorder.Take(11)!;
        Assert.Equal(11, bucket.Start);
        Assert.Equal(new ThroughputCounts(1, 300, 0), bucket.ManifestPush);
        Assert.Equal(new ThroughputCounts(2, 0, 4100), bucket.BlobPull);
        Assert.Equal(new ThroughputCounts(3, 300, 4100), bucket.Total);
        Assert.Null(recorder.Take(12));
    }
}
