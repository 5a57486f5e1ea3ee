using System.Net;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Api;

public sealed class IndexAndReferrerCollectionTests(GcRegistry registry) : IClassFixture<GcRegistry>
{
    private RegistryClient Client => registry.Client;

    private async Task<PushedManifest> PushReferrerAsync(string repository, BlobRef subject)
    {
        await Client.PushBlobAsync(repository, EmptyJson, MediaTypes.OciEmpty);
        var layer = await Client.PushRandomBlobAsync(repository, 80, "application/vnd.example.signature");
        var body = Bytes(Image(EmptyConfig, [layer], artifactType: "application/vnd.example.signature", subject: subject));
        return await Client.PushManifestAsync(repository, Digest.Compute(body).ToString(), body, MediaTypes.OciManifest);
    }

    [Fact]
    public async Task Deleting_an_index_lets_the_next_cycle_collect_its_children_and_their_referrers()
    {
        var repository = TestContent.Repository("gc-index");
        var amd64 = await Client.PushImageAsync(repository, tag: null);
        var arm64 = await Client.PushImageAsync(repository, tag: null);
        var indexBody = Bytes(Index([amd64.Manifest.Ref, arm64.Manifest.Ref]));
        var index = await Client.PushManifestAsync(repository, "multi", indexBody, MediaTypes.OciIndex);
        var indexSignature = await PushReferrerAsync(repository, index.Ref);
        var childSignature = await PushReferrerAsync(repository, amd64.Manifest.Ref);

        var kept = await Client.RunGcAsync();
        Assert.DoesNotContain(kept.Items("manifests"), m => m.StartsWith(repository + "@", StringComparison.Ordinal));
        foreach (var digest in new[] { amd64.Digest, arm64.Digest, indexSignature.Digest, childSignature.Digest })
        {
            Assert.Equal(HttpStatusCode.OK, await Client.ManifestStatusAsync(repository, digest.ToString()));
        }
        // A child of an index cannot be deleted on its own.
        using (var refused = await Client.DeleteAsync($"/v2/{repository}/manifests/{amd64.Digest}"))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
        }

        using (var delete = await Client.DeleteAsync($"/v2/{repository}/manifests/multi"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, delete);
        }
        // The tag went; the index itself is untagged now and goes with the rest.
        var report = await Client.RunGcAsync();

        var collected = report.Items("manifests");
        foreach (var digest in new[] { index.Digest, amd64.Digest, arm64.Digest, indexSignature.Digest, childSignature.Digest })
        {
            Assert.Contains($"{repository}@{digest}", collected);
            Assert.Equal(HttpStatusCode.NotFound, await Client.ManifestStatusAsync(repository, digest.ToString()));
            Assert.False(registry.BlobFileExists(digest));
        }
        foreach (var blob in amd64.Layers.Concat(arm64.Layers)) Assert.False(registry.BlobFileExists(blob.Digest));
        Assert.True(report.Number("droppedRepositories") >= 1);
        Assert.DoesNotContain(repository, (await Client.GetAllPagesAsync("/v2/_catalog?n=1000", "repositories")).SelectMany(p => p.Items));
    }

    [Fact]
    public async Task Referrers_of_a_tagged_image_stay_and_those_of_a_deleted_one_go()
    {
        var repository = TestContent.Repository("gc-referrers");
        var live = await Client.PushImageAsync(repository, "live");
        var doomed = await Client.PushImageAsync(repository, "doomed");
        var liveSbom = await PushReferrerAsync(repository, live.Manifest.Ref);
        var doomedSbom = await PushReferrerAsync(repository, doomed.Manifest.Ref);
        using (await Client.DeleteAsync($"/v2/{repository}/manifests/{doomed.Digest}"))
        {
        }

        var report = await Client.RunGcAsync();

        Assert.Contains($"{repository}@{doomedSbom.Digest}", report.Items("manifests"));
        Assert.DoesNotContain($"{repository}@{liveSbom.Digest}", report.Items("manifests"));
        using var referrers = await Client.GetAsync($"/v2/{repository}/referrers/{live.Digest}");
        Assert.Contains(liveSbom.Digest.ToString(), await referrers.Content.ReadAsStringAsync());
        Assert.True(registry.BlobFileExists(liveSbom.Digest));
        Assert.False(registry.BlobFileExists(doomedSbom.Digest));
    }
}
