using System.Net;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Cluster;

/// <summary>Any gateway serves any request: two nodes and a pure gateway on one PostgreSQL and one shared directory.</summary>
public sealed class ClusterGatewayTests(ClusterRegistry cluster) : IClassFixture<ClusterRegistry>
{
    [Fact]
    public async Task Readyz_is_ready_on_nodes_and_on_the_pure_gateway_with_PostgreSQL_as_their_database()
    {
        foreach (var gateway in cluster.Gateways)
        {
            using var response = await gateway.Http.GetAsync("/readyz");
            var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
            Assert.Equal(["blobstore", "database", "orleans"], body.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order());
        }
        Assert.False(File.Exists(Path.Combine(cluster.DataDir, "nscr.db")), "a cluster process created an SQLite database");
    }

    [Fact]
    public async Task An_upload_whose_chunks_alternate_between_gateways_produces_a_valid_blob()
    {
        var repository = TestContent.Repository("cluster");
        var content = TestContent.RandomBytes(5 * 64 * 1024 + 123);
        var chunks = content.Chunk(64 * 1024).ToArray();
        var location = await cluster.Gateways[0].StartUploadAsync(repository);
        long offset = 0;
        for (var i = 0; i < chunks.Length - 1; i++)
        {
            // 0, 1, 2, 0, 1: each chunk arrives at a gateway that did not see the previous one.
            using var response = await cluster.Gateways[i % 3].PatchChunkAsync(location, chunks[i], offset);
            offset += chunks[i].Length;
            await Uploads.AssertProgressAsync(response, HttpStatusCode.Accepted, location, offset);
        }
        var digest = Digest.Compute(content);
        using (var done = await cluster.Gateways[(chunks.Length - 1) % 3].CompleteAsync(location, digest, chunks[^1], $"{offset}-{content.Length - 1}"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Created, done);
        }

        foreach (var gateway in cluster.Gateways)
        {
            var pulled = await gateway.Http.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}");
            Assert.Equal(content, pulled);
        }
    }

    [Fact]
    public async Task A_completion_on_a_gateway_holding_a_stale_hash_state_still_verifies_the_whole_blob()
    {
        var repository = TestContent.Repository("cluster");
        var content = TestContent.RandomBytes(3 * 1000);
        var location = await cluster.Gateways[0].StartUploadAsync(repository);
        // Gateway 0 hashes the first chunk, gateway 1 the second; gateway 0 finishes and must not trust its own state.
        using (var first = await cluster.Gateways[0].PatchChunkAsync(location, content[..1000], 0)) await OciAssert.StatusAsync(HttpStatusCode.Accepted, first);
        using (var second = await cluster.Gateways[1].PatchChunkAsync(location, content[1000..2000], 1000)) await OciAssert.StatusAsync(HttpStatusCode.Accepted, second);
        using (var wrong = await cluster.Gateways[0].CompleteAsync(location, Digest.Compute(content[..2000]), content[2000..], "2000-2999"))
        {
            await OciAssert.ErrorAsync(wrong, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        }

        var again = await cluster.Gateways[1].StartUploadAsync(repository);
        using (var first = await cluster.Gateways[0].PatchChunkAsync(again, content[..1000], 0)) await OciAssert.StatusAsync(HttpStatusCode.Accepted, first);
        using (var second = await cluster.Gateways[1].PatchChunkAsync(again, content[1000..2000], 1000)) await OciAssert.StatusAsync(HttpStatusCode.Accepted, second);
        using var done = await cluster.Gateways[0].CompleteAsync(again, Digest.Compute(content), content[2000..], "2000-2999");
        await OciAssert.StatusAsync(HttpStatusCode.Created, done);
    }

    [Fact]
    public async Task A_manifest_deleted_on_one_gateway_is_gone_on_the_others_even_after_they_cached_it()
    {
        var repository = TestContent.Repository("cluster");
        var tag = TestContent.Tag();
        var image = await cluster.Gateways[0].PushImageAsync(repository, tag);
        foreach (var gateway in cluster.Gateways)
        {
            using var pulled = await gateway.GetAsync($"/v2/{repository}/manifests/{tag}");
            await OciAssert.StatusAsync(HttpStatusCode.OK, pulled);
            Assert.Equal(image.Manifest.Body, await pulled.Content.ReadAsByteArrayAsync());
        }

        using (var deleted = await cluster.Gateways[1].DeleteAsync($"/v2/{repository}/manifests/{image.Digest}"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, deleted);
        }

        foreach (var gateway in cluster.Gateways)
        {
            using var byTag = await gateway.GetAsync($"/v2/{repository}/manifests/{tag}");
            await OciAssert.ErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
            using var byDigest = await gateway.GetAsync($"/v2/{repository}/manifests/{image.Digest}");
            await OciAssert.ErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        }
    }

    [Fact]
    public async Task Every_gateway_serves_the_dashboard()
    {
        foreach (var gateway in cluster.Gateways)
        {
            using var response = await gateway.GetAsync("/dashboard/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Orleans Dashboard", await response.Content.ReadAsStringAsync());
        }
    }
}
