using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Http;

/// <summary>Blobs and manifests with <c>sha512:</c> digests, end to end over HTTP.</summary>
public sealed class Sha512Tests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    [Fact]
    public async Task PostThenPutWithTheWholeBody_IsVerifiedWithSha512()
    {
        var repository = TestContent.Repository("sha512");
        var content = TestContent.RandomBytes(70_000);
        var digest = Digest.Compute(content, Digest.Sha512);
        var location = await Client.StartUploadAsync(repository);

        using var put = await Client.CompleteAsync(location, digest, content);
        using var head = await Client.HeadAsync($"/v2/{repository}/blobs/{digest}");
        using var get = await Client.GetAsync($"/v2/{repository}/blobs/{digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Created, put);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", put.Headers.Location?.ToString());
        Assert.Equal(digest.ToString(), OciAssert.Header(put, "Docker-Content-Digest"));
        await OciAssert.StatusAsync(HttpStatusCode.OK, head);
        Assert.Equal(digest.ToString(), OciAssert.Header(head, "Docker-Content-Digest"));
        Assert.Equal(content.Length, head.Content.Headers.ContentLength);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ChunkedUpload_EndingWithASha512Digest_IsVerified()
    {
        var repository = TestContent.Repository("sha512");
        var content = TestContent.RandomBytes(3 * 20_000 + 11);
        var digest = Digest.Compute(content, Digest.Sha512);
        var location = await Client.StartUploadAsync(repository);
        for (var start = 0; start < 40_000; start += 20_000)
        {
            using var patch = await Client.PatchChunkAsync(location, content[start..(start + 20_000)], start);
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, patch);
            location = patch.Headers.Location!.ToString();
        }

        using var put = await Client.CompleteAsync(location, digest, content[40_000..], $"40000-{content.Length - 1}");
        using var range = await Client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{digest}", configure: r => r.Headers.Range = new(100, 199));

        await OciAssert.StatusAsync(HttpStatusCode.Created, put);
        Assert.Equal(digest.ToString(), OciAssert.Header(put, "Docker-Content-Digest"));
        await OciAssert.StatusAsync(HttpStatusCode.PartialContent, range);
        Assert.Equal(content[100..200], await range.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ChunkedUpload_WithAWrongSha512Digest_Is400_AndStoresNothing()
    {
        var repository = TestContent.Repository("sha512");
        var content = TestContent.RandomBytes(5000);
        var claimed = Digest.Compute(TestContent.RandomBytes(5000), Digest.Sha512);
        var location = await Client.StartUploadAsync(repository);
        using (var patch = await Client.PatchChunkAsync(location, content, 0))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, patch);
        }

        using var put = await Client.CompleteAsync(location, claimed);
        using var head = await Client.HeadAsync($"/v2/{repository}/blobs/{claimed}");

        await OciAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await OciAssert.ErrorAsync(head, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        Assert.False(registry.StagedUploadExists(Uploads.SessionId(location)));
    }

    [Fact]
    public async Task Mount_OfASha512Blob_LinksItInTheOtherRepository()
    {
        var source = TestContent.Repository("sha512");
        var target = TestContent.Repository("sha512");
        var layer = await PushSha512BlobAsync(source, TestContent.RandomBytes(3000));

        using var mount = await Client.SendAsync(HttpMethod.Post, $"/v2/{target}/blobs/uploads/?mount={layer.Digest}&from={source}");
        using var get = await Client.GetAsync($"/v2/{target}/blobs/{layer.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Created, mount);
        Assert.Equal($"/v2/{target}/blobs/{layer.Digest}", mount.Headers.Location?.ToString());
        Assert.Equal(layer.Digest.ToString(), OciAssert.Header(mount, "Docker-Content-Digest"));
        await OciAssert.StatusAsync(HttpStatusCode.OK, get);
        Assert.Equal(layer.Digest, Digest.Compute(await get.Content.ReadAsByteArrayAsync(), Digest.Sha512));
    }

    [Fact]
    public async Task AManifestOfSha512Blobs_PushedBySha512Digest_IsPulledBackBitIdentical_WithReferrers()
    {
        var repository = TestContent.Repository("sha512");
        var layerBytes = TestContent.RandomBytes(9000);
        var config = await PushSha512BlobAsync(repository, TestContent.Utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}"), OciConfigType);
        var layer = await PushSha512BlobAsync(repository, layerBytes);
        var body = Bytes(Image(config, [layer]));
        var digest = Digest.Compute(body, Digest.Sha512);

        using var put = await Client.PutManifestAsync(repository, digest.ToString(), body, MediaTypes.OciManifest);
        await OciAssert.StatusAsync(HttpStatusCode.Created, put);
        Assert.Equal($"/v2/{repository}/manifests/{digest}", put.Headers.Location?.ToString());

        using var manifest = await Client.GetAsync($"/v2/{repository}/manifests/{digest}");
        await OciAssert.StatusAsync(HttpStatusCode.OK, manifest);
        Assert.Equal(digest.ToString(), OciAssert.Header(manifest, "Docker-Content-Digest"));
        Assert.Equal(body, await manifest.Content.ReadAsByteArrayAsync());
        var pulled = (await manifest.Content.ReadFromJsonAsync<JsonObject>())!["layers"]![0]!["digest"]!.GetValue<string>();
        using var blob = await Client.GetAsync($"/v2/{repository}/blobs/{pulled}");
        Assert.Equal(layerBytes, await blob.Content.ReadAsByteArrayAsync());

        // A referrer of the sha512 manifest, itself pushed by tag: by tag the digest is the canonical sha256.
        await Client.PushBlobAsync(repository, EmptyJson, MediaTypes.OciEmpty);
        var signature = Bytes(Image(EmptyConfig, [EmptyConfig], artifactType: "application/vnd.example.sig", subject: new BlobRef(MediaTypes.OciManifest, digest, body.Length)));
        using var signed = await Client.PutManifestAsync(repository, "sig", signature, MediaTypes.OciManifest);
        await OciAssert.StatusAsync(HttpStatusCode.Created, signed);
        Assert.Equal(Digest.Compute(signature).ToString(), OciAssert.Header(signed, "Docker-Content-Digest"));
        Assert.Equal(digest.ToString(), OciAssert.Header(signed, "OCI-Subject"));
        using var referrers = await Client.GetAsync($"/v2/{repository}/referrers/{digest}");
        var manifests = (await referrers.Content.ReadFromJsonAsync<JsonObject>())!["manifests"]!.AsArray();
        Assert.Equal(Digest.Compute(signature).ToString(), manifests.Single()!["digest"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeletingASha512ManifestAndBlob_MakesThem404()
    {
        var repository = TestContent.Repository("sha512");
        var layer = await PushSha512BlobAsync(repository, TestContent.RandomBytes(700));
        var loose = await PushSha512BlobAsync(repository, TestContent.RandomBytes(800));
        var body = Bytes(Image(EmptyConfig, [layer]));
        await Client.PushBlobAsync(repository, EmptyJson, MediaTypes.OciEmpty);
        var digest = Digest.Compute(body, Digest.Sha512);
        using (var put = await Client.PutManifestAsync(repository, digest.ToString(), body, MediaTypes.OciManifest))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Created, put);
        }

        using var deleteManifest = await Client.DeleteAsync($"/v2/{repository}/manifests/{digest}");
        using var deleteBlob = await Client.DeleteAsync($"/v2/{repository}/blobs/{loose.Digest}");
        using var manifest = await Client.HeadAsync($"/v2/{repository}/manifests/{digest}");
        using var blob = await Client.HeadAsync($"/v2/{repository}/blobs/{loose.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, deleteManifest);
        await OciAssert.StatusAsync(HttpStatusCode.Accepted, deleteBlob);
        await OciAssert.ErrorAsync(manifest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.ErrorAsync(blob, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    private async Task<BlobRef> PushSha512BlobAsync(string repository, byte[] content, string mediaType = OciLayerType)
    {
        var digest = Digest.Compute(content, Digest.Sha512);
        using var response = await Client.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={digest}", RegistryClient.Octets(content));
        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        Assert.Equal(digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        return new BlobRef(mediaType, digest, content.Length);
    }
}
