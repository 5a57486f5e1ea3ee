using Nscr.Grains.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Grains.Tests.Races;

/// <summary>
/// DESIGN.md invariant 1 at the grain level: "reference this blob" and "delete this blob" race from separate callers,
/// in random order and with random jitter, thousands of times; after each race exactly one side won and the store
/// agrees with the grain.
/// </summary>
public sealed class ReferenceVersusDeleteTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private const int Interleavings = 1000;

    /// <summary>A blob committed before the cutoff, so only a touch after the cutoff can save it.</summary>
    private async Task<(Digest Digest, DateTimeOffset Cutoff)> OldBlobAsync(string repository)
    {
        var digest = await cluster.UploadAsync(repository);
        cluster.Clock.Advance(TimeSpan.FromSeconds(2));
        var cutoff = cluster.Clock.GetUtcNow() - TimeSpan.FromSeconds(1);
        return (digest, cutoff);
    }

    [Fact]
    public async Task AddReference_racing_Collect_never_leaves_a_reference_to_a_deleted_blob()
    {
        var repository = GrainCluster.NewRepository("race-ref");
        var (referenced, deleted) = (0, 0);
        for (var i = 0; i < Interleavings; i++)
        {
            var (digest, cutoff) = await OldBlobAsync(repository);
            var blob = cluster.Blob(digest);
            var (reference, collect) = await Race.RunAsync(() => blob.AddReferenceAsync(repository), () => blob.CollectAsync(cutoff, dryRun: false));

            if (reference.IsCompletedSuccessfully)
            {
                referenced++;
                Assert.Equal(BlobCollectOutcome.Refused, (await collect).Outcome);
                Assert.True(cluster.FileExists(digest), $"iteration {i}: referenced blob {digest} lost its file");
                Assert.NotNull(await blob.GetAsync());
            }
            else
            {
                deleted++;
                Assert.Equal(OciErrorCode.BlobUnknown, Assert.IsType<OciException>(reference.Exception!.InnerException).Code);
                Assert.Equal(BlobCollectOutcome.Deleted, (await collect).Outcome);
                Assert.False(cluster.FileExists(digest), $"iteration {i}: deleted blob {digest} kept its file");
                Assert.Null(await blob.GetAsync());
                var later = await Assert.ThrowsAsync<OciException>(() => blob.AddReferenceAsync(repository));
                Assert.Equal(OciErrorCode.BlobUnknown, later.Code);
            }
        }
        // Both orders happened, or the test proved nothing about the race.
        Assert.True(referenced > 0 && deleted > 0, $"referenced {referenced}, deleted {deleted}");
    }

    [Fact]
    public async Task Link_racing_Collect_either_links_a_stored_blob_or_fails()
    {
        var repository = GrainCluster.NewRepository("race-link");
        var mountedTo = GrainCluster.NewRepository("race-mount");
        var (linked, deleted) = (0, 0);
        for (var i = 0; i < Interleavings; i++)
        {
            var (digest, cutoff) = await OldBlobAsync(repository);
            var blob = cluster.Blob(digest);
            var (link, collect) = await Race.RunAsync(() => blob.LinkAsync(mountedTo), () => blob.CollectAsync(cutoff, dryRun: false));

            if (link.IsCompletedSuccessfully)
            {
                linked++;
                Assert.Equal(BlobCollectOutcome.Refused, (await collect).Outcome);
                Assert.True(cluster.FileExists(digest));
                Assert.True(await blob.IsLinkedAsync(mountedTo));
            }
            else
            {
                deleted++;
                Assert.Equal(BlobCollectOutcome.Deleted, (await collect).Outcome);
                Assert.False(cluster.FileExists(digest));
                Assert.False(await blob.IsLinkedAsync(mountedTo));
                await Assert.ThrowsAsync<OciException>(() => blob.LinkAsync(mountedTo));
            }
        }
        Assert.True(linked > 0 && deleted > 0, $"linked {linked}, deleted {deleted}");
    }

    [Fact]
    public async Task PutManifest_racing_Collect_of_its_blobs_never_commits_a_manifest_with_a_missing_blob()
    {
        var repository = GrainCluster.NewRepository("race-put");
        var (committed, refused) = (0, 0);
        for (var i = 0; i < Interleavings / 3; i++)
        {
            var blobs = new[] { await cluster.UploadAsync(repository), await cluster.UploadAsync(repository), await cluster.UploadAsync(repository) };
            var body = System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{i},\"r\":\"{Guid.NewGuid()}\"}}");
            var manifestDigest = await cluster.UploadAsync(repository, body);
            cluster.Clock.Advance(TimeSpan.FromSeconds(2));
            var cutoff = cluster.Clock.GetUtcNow() - TimeSpan.FromSeconds(1);
            var record = new ManifestRecord(manifestDigest, body.Length, MediaTypes.OciManifest, blobs, [], null, null, null, default);
            var victim = blobs[Random.Shared.Next(blobs.Length)];

            var (put, collect) = await Race.RunAsync(
                () => cluster.Repository(repository).PutManifestAsync(record, $"t{i}"),
                () => cluster.Blob(victim).CollectAsync(cutoff, dryRun: false));

            var resolved = await cluster.Repository(repository).ResolveAsync(Reference.Parse($"t{i}"));
            if (put.IsCompletedSuccessfully)
            {
                committed++;
                Assert.Equal(BlobCollectOutcome.Refused, (await collect).Outcome);
                Assert.NotNull(resolved);
                foreach (var digest in blobs.Append(manifestDigest))
                {
                    Assert.True(cluster.FileExists(digest), $"iteration {i}: tagged manifest lost blob {digest}");
                    Assert.NotNull(await cluster.Blob(digest).GetAsync());
                }
            }
            else
            {
                refused++;
                Assert.Equal(OciErrorCode.ManifestBlobUnknown, Assert.IsType<OciException>(put.Exception!.InnerException).Code);
                Assert.Equal(BlobCollectOutcome.Deleted, (await collect).Outcome);
                Assert.Null(resolved);
            }
        }
        Assert.True(committed > 0 && refused > 0, $"committed {committed}, refused {refused}");
    }
}
