using System.Net.Http.Headers;
using System.Net;
using Nscr.Gateway.Hosting;
using Nscr.Gateway.Tests.Api;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using Nscr.Silo.Configuration;
using Nscr.Storage.Tests.S3;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Storage;

/// <summary>The whole registry on the S3 store (s3rver on loopback): push, pull, delete, GC, and every byte back.</summary>
public sealed class S3StoreRegistryTests(S3rverProcess s3) : IClassFixture<S3rverProcess>
{
    private const int MiB = 1024 * 1024;

    [Theory]
    [InlineData("S3_BUCKET", "S3:Bucket")]
    [InlineData("S3_ENDPOINT", "S3:Endpoint")]
    [InlineData("S3_ACCESS_KEY", "S3:AccessKey")]
    [InlineData("S3_SECRET_KEY", "S3:SecretKey")]
    [InlineData("S3_PATH_STYLE", "S3:PathStyle")]
    [InlineData("S3_REGION", "S3:Region")]
    [InlineData("S3_PREFIX", "S3:Prefix")]
    public void S3_environment_names_map_into_the_s3_section(string snake, string key)
    {
        Assert.Equal(key, NscrEnvironmentVariables.Key(snake));
    }

    [Fact]
    public async Task Push_pull_with_chunks_and_ranges_then_delete_and_gc_leave_no_blob_in_the_bucket()
    {
        var prefix = $"registry-{Guid.NewGuid():N}";
        await using var registry = await GcRegistryScope.StartAsync(new Dictionary<string, string>
        {
            ["S3:Bucket"] = S3rverProcess.Bucket,
            ["S3:Endpoint"] = s3.Endpoint,
            ["S3:AccessKey"] = S3rverProcess.AccessKey,
            ["S3:SecretKey"] = S3rverProcess.SecretKey,
            ["S3:PathStyle"] = "true",
            ["S3:Prefix"] = prefix,
        });
        var client = registry.Registry.Client;
        var repository = TestContent.Repository("s3/app");

        // A layer in three PATCH chunks (one over S3's 5 MiB part minimum), one pushed whole, and the config.
        var chunked = TestContent.RandomBytes(6 * MiB + 123);
        var location = await client.StartUploadAsync(repository);
        var splits = new[] { 0, 5 * MiB + 7, 6 * MiB, chunked.Length };
        for (var i = 0; i + 1 < splits.Length; i++)
        {
            using var patch = await client.PatchChunkAsync(location, chunked[splits[i]..splits[i + 1]], splits[i]);
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, patch);
            location = patch.Headers.Location!.ToString();
        }
        var chunkedDigest = Digest.Compute(chunked);
        using (var complete = await client.CompleteAsync(location, chunkedDigest))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Created, complete);
        }
        var chunkedLayer = new BlobRef(OciLayerType, chunkedDigest, chunked.Length);
        var wholeLayer = await client.PushRandomBlobAsync(repository, 300_000);
        var config = await client.PushBlobAsync(repository, TestContent.Utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}"), OciConfigType);
        var manifest = await client.PushManifestAsync(repository, "v1", Bytes(Image(config, [chunkedLayer, wholeLayer])), MediaTypes.OciManifest);
        Assert.Contains(s3.ObjectFiles($"{prefix}/blobs/"), key => key.EndsWith(chunkedDigest.Hex, StringComparison.Ordinal));
        Assert.Empty(s3.ObjectFiles($"{prefix}/uploads/"));

        // Pull: the manifest by tag, the layer whole and by ranges (HTTP streams them from S3: no local file).
        using (var pulled = await client.GetAsync($"/v2/{repository}/manifests/v1"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.OK, pulled);
            Assert.Equal(manifest.Body, await pulled.Content.ReadAsByteArrayAsync());
        }
        using (var whole = await client.GetAsync($"/v2/{repository}/blobs/{chunkedDigest}"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.OK, whole);
            Assert.Equal(chunked, await whole.Content.ReadAsByteArrayAsync());
        }
        foreach (var (from, to) in new[] { (0L, 0L), (100L, 5L * MiB + 99), (chunked.Length - 10L, chunked.Length - 1L) })
        {
            using var ranged = await client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{chunkedDigest}",
                configure: request => request.Headers.Range = new RangeHeaderValue(from, to));
            await OciAssert.StatusAsync(HttpStatusCode.PartialContent, ranged);
            Assert.Equal(chunked[(int)from..(int)(to + 1)], await ranged.Content.ReadAsByteArrayAsync());
        }

        // Delete and collect: nothing of the image stays in the bucket (DESIGN.md invariant 3).
        await client.DeleteRepositoryAsync(repository);
        var report = await client.RunGcAsync();

        Assert.Empty(report["errors"]!.AsArray());
        Assert.Empty(s3.ObjectFiles($"{prefix}/blobs/"));
        Assert.Empty(s3.ObjectFiles($"{prefix}/uploads/"));
        Assert.Empty(registry.Registry.StoredFiles());
    }
}
