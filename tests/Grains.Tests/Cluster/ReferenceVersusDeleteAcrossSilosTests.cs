using System.Security.Cryptography;
using Nscr.Grains.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Grains.Tests.Cluster;

/// <summary>
/// DESIGN.md invariant 1 across silos: a manifest PUT (the repository grain's AddReference) races the GC's delete of a
/// blob whose grain lives on the OTHER silo. The blob grain still serialises both: after every race either the
/// reference won (manifest tagged, blob kept) or the delete won (MANIFEST_BLOB_UNKNOWN, blob gone from the store).
/// </summary>
public sealed class ReferenceVersusDeleteAcrossSilosTests(MultiSiloCluster cluster) : IClassFixture<MultiSiloCluster>
{
    private const int Interleavings = 200;

    [Fact]
    public async Task PutManifest_racing_Collect_of_a_blob_on_the_other_silo_never_tags_a_deleted_blob()
    {
        var repository = MultiSiloCluster.NewRepository("race-silos");
        var (home, remote) = (cluster.Gateways[0], cluster.Gateways[1]);
        await home.Repository(repository).ListTagsAsync();
        await cluster.PlaceAsync(home.Repository(repository), home.Silo);
        var (committed, refused) = (0, 0);
        for (var i = 0; i < Interleavings; i++)
        {
            // The layer's grain lives on the remote silo; the repository grain (and its AddReference call) on home.
            var (layer, committedLayer) = await remote.UploadAsync(repository, RandomNumberGenerator.GetBytes(64));
            await cluster.PlaceAsync(home.Blob(layer), remote.Silo);
            var body = System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{i},\"r\":\"{Guid.NewGuid()}\"}}");
            var (manifestDigest, _) = await home.UploadAsync(repository, body);
            // Just after the layer's last touch (its commit): only a touch during the race can save it.
            var cutoff = committedLayer.LastTouched + TimeSpan.FromTicks(1);
            var record = new ManifestRecord(manifestDigest, body.Length, MediaTypes.OciManifest, [layer], [], null, null, null, default);
            // The GC's call comes from either silo.
            var collector = cluster.Gateways[Random.Shared.Next(2)];

            // The PUT reaches the blob grain one silo hop later than the GC's direct call; without a head start of
            // up to a few milliseconds for the PUT, the delete would win every time on a quiet machine.
            var headStart = TimeSpan.FromMilliseconds(Random.Shared.Next(0, 5));
            var (put, collect) = await Race.RunAsync(
                () => home.Repository(repository).PutManifestAsync(record, $"t{i}"),
                async () =>
                {
                    if (headStart > TimeSpan.Zero) await Task.Delay(headStart);
                    return await collector.Blob(layer).CollectAsync(cutoff, dryRun: false);
                });

            Assert.Equal(remote.Silo, await cluster.LocationAsync(home.Blob(layer)));
            var resolved = await remote.Repository(repository).ResolveAsync(Reference.Parse($"t{i}"));
            if (put.IsCompletedSuccessfully)
            {
                committed++;
                Assert.Equal(BlobCollectOutcome.Refused, (await collect).Outcome);
                Assert.Equal(manifestDigest, resolved?.Digest);
                Assert.True(cluster.FileExists(layer), $"iteration {i}: tagged manifest lost layer {layer}");
                Assert.NotNull(await remote.Store.StatAsync(layer, CancellationToken.None));
                Assert.NotNull(await home.Blob(layer).GetAsync());
                Assert.True(await remote.Blob(layer).IsLinkedAsync(repository));
            }
            else
            {
                refused++;
                Assert.Equal(OciErrorCode.ManifestBlobUnknown, Assert.IsType<OciException>(put.Exception!.InnerException).Code);
                Assert.Equal(BlobCollectOutcome.Deleted, (await collect).Outcome);
                Assert.Null(resolved);
                Assert.False(cluster.FileExists(layer), $"iteration {i}: deleted layer {layer} kept its file");
                Assert.Null(await home.Store.StatAsync(layer, CancellationToken.None));
                Assert.Null(await home.Blob(layer).GetAsync());
            }
        }
        // Both orders happened, or the test proved nothing about the race.
        Assert.True(committed > 0 && refused > 0, $"committed {committed}, refused {refused}");
    }
}
