using System.Net;
using System.Net.Http.Headers;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Cluster;

/// <summary>Real clients through the load balancer of a local cluster; every gateway serves what any other took in.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class ClusterClientTests(LocalClusterFixture fixture, ITestOutputHelper output)
{
    private LocalCluster Cluster => fixture.Cluster;

    [Fact]
    public Task SkopeoAndPodmanPushThroughTheLoadBalancerAndEachGatewayServesTheSameBytes() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        scope.AddLogSource(Cluster);
        var storage = scope.NewStorage();
        var layouts = scope.NewTempDirectory("oci");
        var image = await Images.BuildAsync(storage, "localhost/e2e/cluster-source:latest", ct);
        var source = await Images.ExportAsync(storage, image, layouts.Combine("source"), "v1", ct);

        scope.Step("skopeo push through the load balancer");
        await Skopeo.PushAsync(source.ReferenceFor("v1"), $"docker://{Cluster.LoadBalancerHostPort}/e2e/cluster-skopeo:v1", ct);
        scope.Step("podman push through the load balancer");
        await storage.PodmanAsync(ct, "push", "--tls-verify=false", image.Name, $"{Cluster.LoadBalancerHostPort}/e2e/cluster-podman:v1");

        var pulled = new List<OciLayout>();
        for (var gateway = 1; gateway <= LocalCluster.Gateways; gateway++)
        {
            scope.Step($"skopeo pull through gateway {gateway}");
            var layout = new OciLayout(layouts.Combine($"gateway{gateway}"));
            await Skopeo.PullAsync($"docker://{Cluster.GatewayHostPort(gateway)}/e2e/cluster-skopeo:v1", layout.ReferenceFor("v1"), ct);
            Assert.Equal(source.ManifestDigest("v1"), layout.ManifestDigest("v1"));
            Expect.SameBlobs(source, layout);
            pulled.Add(layout);

            scope.Step($"podman pull through gateway {gateway} into an empty storage");
            var puller = scope.NewStorage();
            var pull = await puller.PodmanAsync(ct, "pull", "--quiet", "--tls-verify=false",
                $"{Cluster.GatewayHostPort(gateway)}/e2e/cluster-podman:v1");
            Assert.Equal(image.Id, "sha256:" + pull.StandardOutput.Trim());
        }
        Expect.SameBlobs(pulled[0], pulled[1]);
    });

    [Fact]
    public Task AnUploadWhoseChunksAlternateBetweenGatewaysMakesAValidBlob() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        scope.AddLogSource(Cluster);
        const string repository = "e2e/cluster-chunks";
        var gateways = Enumerable.Range(1, LocalCluster.Gateways).Select(i => new RegistryClient(Cluster.Gateway(i))).ToList();
        using var balancer = new RegistryClient(Cluster.LoadBalancer);
        try
        {
            var content = Images.RandomBytes(4 * 300_000 + 17);
            var chunks = content.Chunk(300_000).ToList();
            var location = (await gateways[0].StartUploadAsync(repository, ct)).PathAndQuery;
            var offset = 0;
            for (var i = 0; i < chunks.Count; i++)
            {
                // Chunk 0 on gateway 2, chunk 1 on gateway 1, ...: no chunk lands where the previous one did.
                var gateway = gateways[(i + 1) % gateways.Count];
                scope.Step($"PATCH chunk {i} ({chunks[i].Length} bytes) through gateway {(i + 1) % gateways.Count + 1}");
                location = await PatchAsync(gateway, location, chunks[i], offset, ct);
                offset += chunks[i].Length;
            }

            scope.Step("upload status through the load balancer, then PUT through the last gateway");
            using (var status = await balancer.SendAsync(new HttpRequestMessage(HttpMethod.Get, location), ct))
            {
                await RegistryClient.ExpectAsync(status, HttpStatusCode.NoContent);
                Assert.Equal($"0-{content.Length - 1}", status.Headers.GetValues("Range").Single());
            }
            var digest = RegistryClient.DigestOf(content);
            using (var put = await gateways[1].SendAsync(
                       new HttpRequestMessage(HttpMethod.Put, RegistryClient.WithDigest(new Uri(Cluster.Gateway(2), location), digest)), ct))
            {
                await RegistryClient.ExpectAsync(put, HttpStatusCode.Created);
            }

            foreach (var client in gateways.Append(balancer))
            {
                var bytes = await ClusterImages.GetBlobAsync(client, repository, digest, ct);
                Assert.True(bytes.AsSpan().SequenceEqual(content));
            }
        }
        finally
        {
            gateways.ForEach(g => g.Dispose());
        }
    });

    [Fact]
    public Task UploadSessionLocationsWorkThroughTheLoadBalancer() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        scope.AddLogSource(Cluster);
        using var balancer = new RegistryClient(Cluster.LoadBalancer);
        var content = Images.RandomBytes(100_000);

        using var post = await balancer.SendAsync(new HttpRequestMessage(HttpMethod.Post, "v2/e2e/cluster-lb/blobs/uploads/"), ct);
        await RegistryClient.ExpectAsync(post, HttpStatusCode.Accepted);
        var location = post.Headers.Location!;
        // Relative, or absolute on the address the client used: never a gateway's own port.
        Assert.True(!location.IsAbsoluteUri || location.Authority == Cluster.LoadBalancerHostPort, $"Location {location}");
        var next = await PatchAsync(balancer, location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString, content, 0, ct);
        using var put = await balancer.SendAsync(new HttpRequestMessage(HttpMethod.Put,
            RegistryClient.WithDigest(new Uri(Cluster.LoadBalancer, next), RegistryClient.DigestOf(content))), ct);
        await RegistryClient.ExpectAsync(put, HttpStatusCode.Created);
        Assert.Equal($"/v2/e2e/cluster-lb/blobs/{RegistryClient.DigestOf(content)}", put.Headers.Location?.OriginalString);
    });

    /// <summary>PATCH one chunk with its Content-Range; returns the session's next location (path and query).</summary>
    private static async Task<string> PatchAsync(RegistryClient client, string location, byte[] chunk, int offset, CancellationToken ct)
    {
        using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(chunk) };
        patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        patch.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + chunk.Length - 1}");
        using var response = await client.SendAsync(patch, ct);
        await RegistryClient.ExpectAsync(response, HttpStatusCode.Accepted);
        Assert.Equal($"0-{offset + chunk.Length - 1}", response.Headers.GetValues("Range").Single());
        return client.LocationOf(response).PathAndQuery;
    }
}
