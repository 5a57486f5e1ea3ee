using System.Net;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Http;

/// <summary>Everything acknowledged before a stop is there after a new registry starts on the same data directory.</summary>
public sealed class PersistenceTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task Restart_KeepsBlobsManifestsTagsReferrersCatalogAndUploadSessions()
    {
        var repository = TestContent.Repository("persist");
        var client = registry.Client;
        var image = await client.PushImageAsync(repository, "v1", layers: 2);
        await client.PushManifestAsync(repository, "v1-alias", image.Manifest.Body, MediaTypes.OciManifest);
        await client.PushBlobAsync(repository, EmptyJson, MediaTypes.OciEmpty);
        var signatureBody = Bytes(Image(EmptyConfig, [EmptyConfig], artifactType: "application/vnd.example.sig", subject: image.Manifest.Ref));
        var signature = await client.PushManifestAsync(repository, Digest.Compute(signatureBody).ToString(), signatureBody, MediaTypes.OciManifest);
        var partial = TestContent.RandomBytes(3000);
        var upload = await client.StartUploadAsync(repository);
        using (var patch = await client.PatchChunkAsync(upload, partial[..2000], 0))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, patch);
        }

        await registry.RestartAsync();
        client = registry.Client;

        using var manifest = await client.GetAsync($"/v2/{repository}/manifests/v1");
        await OciAssert.StatusAsync(HttpStatusCode.OK, manifest);
        Assert.Equal(image.Manifest.Body, await manifest.Content.ReadAsByteArrayAsync());
        Assert.Equal(MediaTypes.OciManifest, manifest.Content.Headers.ContentType?.MediaType);
        foreach (var layer in image.Layers.Append(image.Config))
        {
            using var blob = await client.HeadAsync($"/v2/{repository}/blobs/{layer.Digest}");
            await OciAssert.StatusAsync(HttpStatusCode.OK, blob);
            Assert.Equal(layer.Size, blob.Content.Headers.ContentLength);
        }
        var tags = await client.GetPageAsync($"/v2/{repository}/tags/list", "tags");
        Assert.Equal(["v1", "v1-alias"], tags.Items);
        var catalog = await client.GetAllPagesAsync("/v2/_catalog?n=100", "repositories");
        Assert.Contains(repository, catalog.SelectMany(p => p.Items));
        using var referrers = await client.GetAsync($"/v2/{repository}/referrers/{image.Digest}");
        Assert.Contains(signature.Digest.ToString(), await referrers.Content.ReadAsStringAsync());

        using var status = await client.GetAsync(upload);
        await Uploads.AssertProgressAsync(status, HttpStatusCode.NoContent, upload, 2000);
        using var put = await client.CompleteAsync(upload, Digest.Compute(partial), partial[2000..], "2000-2999");
        await OciAssert.StatusAsync(HttpStatusCode.Created, put);
        using var completed = await client.GetAsync($"/v2/{repository}/blobs/{Digest.Compute(partial)}");
        Assert.Equal(partial, await completed.Content.ReadAsByteArrayAsync());
    }
}
