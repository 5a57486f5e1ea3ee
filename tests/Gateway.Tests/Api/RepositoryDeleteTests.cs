using System.Net;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Api;

public sealed class RepositoryDeleteTests(GcRegistry registry) : IClassFixture<GcRegistry>
{
    private RegistryClient Client => registry.Client;

    [Fact]
    public async Task Deleting_a_repository_removes_it_at_once_and_its_own_bytes_at_the_next_cycle()
    {
        var repository = TestContent.Repository("repo-delete");
        var neighbour = TestContent.Repository("repo-keep");
        var shared = await Client.PushRandomBlobAsync(repository, 3000);
        var image = await Client.PushImageAsync(repository, "v1", layers: 2);
        var sharedImageBody = ManifestBuilder.Bytes(ManifestBuilder.Image(image.Config, [shared]));
        await Client.PushManifestAsync(repository, "shared", sharedImageBody, MediaTypes.OciManifest);
        // The neighbour mounts the shared layer and the config, then uses them.
        foreach (var blob in new[] { shared, image.Config })
        {
            using var mount = await Client.SendAsync(HttpMethod.Post, $"/v2/{neighbour}/blobs/uploads/?mount={blob.Digest}&from={repository}");
            await OciAssert.StatusAsync(HttpStatusCode.Created, mount);
        }
        await Client.PushManifestAsync(neighbour, "v1", sharedImageBody, MediaTypes.OciManifest);

        var deletion = await Client.DeleteRepositoryAsync(repository);

        Assert.Equal(repository, deletion["name"]!.GetValue<string>());
        Assert.Equal(2, deletion.Number("deletedManifests"));
        Assert.Equal(2, deletion.Number("deletedTags"));
        using (var tags = await Client.GetAsync($"/v2/{repository}/tags/list"))
        {
            await OciAssert.ErrorAsync(tags, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        }
        Assert.Equal(HttpStatusCode.NotFound, await Client.ManifestStatusAsync(repository, "v1"));
        await Client.AssertBlobGoneAsync(repository, image.Layers[0].Digest);
        await Client.AssertBlobGoneAsync(repository, shared.Digest);
        var catalog = await Client.GetAllPagesAsync("/v2/_catalog?n=1000", "repositories");
        Assert.DoesNotContain(repository, catalog.SelectMany(p => p.Items));

        var report = await Client.RunGcAsync();

        foreach (var blob in image.Layers.Append(image.Manifest.Ref))
        {
            Assert.Contains(blob.Digest.ToString(), report.Items("blobs"));
            Assert.False(registry.BlobFileExists(blob.Digest));
        }
        await Client.AssertBlobAsync(neighbour, shared);
        await Client.AssertBlobAsync(neighbour, image.Config);
        Assert.Equal(HttpStatusCode.OK, await Client.ManifestStatusAsync(neighbour, "v1"));
    }

    [Fact]
    public async Task Blobs_uploaded_but_never_used_lose_their_link_and_a_recreated_repository_starts_empty()
    {
        var repository = TestContent.Repository("repo-links");
        var neighbour = TestContent.Repository("repo-links-keep");
        var loose = await Client.PushRandomBlobAsync(repository, 500);
        await Client.PushImageAsync(repository, "v1");
        // The neighbour uses the loose blob; the deleted repository's link to it must not survive.
        var neighbourImage = ManifestBuilder.Bytes(ManifestBuilder.Image(await Client.PushRandomBlobAsync(neighbour, 10), [await Client.PushBlobAsync(neighbour, await BytesOfAsync(repository, loose))]));
        await Client.PushManifestAsync(neighbour, "v1", neighbourImage, MediaTypes.OciManifest);

        await Client.DeleteRepositoryAsync(repository);
        var report = await Client.RunGcAsync();

        Assert.True(report.Number("prunedLinks") >= 1, report.ToJsonString());
        await Client.AssertBlobGoneAsync(repository, loose.Digest);
        await Client.AssertBlobAsync(neighbour, loose);
        var again = await Client.PushImageAsync(repository, "v2");
        Assert.Equal(["v2"], (await Client.GetPageAsync($"/v2/{repository}/tags/list", "tags")).Items);
        await Client.AssertBlobAsync(repository, again.Layers[0]);
    }

    private async Task<byte[]> BytesOfAsync(string repository, BlobRef blob)
    {
        using var get = await Client.GetAsync($"/v2/{repository}/blobs/{blob.Digest}");
        return await get.Content.ReadAsByteArrayAsync();
    }
}
