using Microsoft.Extensions.DependencyInjection;
using Nscr.Grains.Tests.Infrastructure;
using Nscr.Metadata;

namespace Nscr.Grains.Tests.Gc;

/// <summary>
/// A blob's latest touch is kept in memory; when its grain deactivates the touch is written only if the GC's grace
/// does not already cover it (a cycle's cutoff is its start minus the grace), so a burst of pushes does not end in
/// one write per blob.
/// </summary>
public sealed class BlobTouchTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    [Fact]
    public async Task With_no_grace_a_deactivation_writes_the_newer_touch()
    {
        var (digest, committed) = await UploadAndTouchAsync();

        await cluster.RestartAsync();

        Assert.Equal(committed + TimeSpan.FromSeconds(10), (await Rows().GetAsync(digest, CancellationToken.None))!.LastTouched);
    }

    [Fact]
    public async Task A_touch_the_grace_covers_is_not_written_at_deactivation_and_one_it_does_not_is()
    {
        cluster.Options.Grace = TimeSpan.FromSeconds(30);
        try
        {
            var (covered, coveredAt) = await UploadAndTouchAsync();
            cluster.Clock.Advance(TimeSpan.FromSeconds(15));
            var (uncovered, uncoveredAt) = await UploadAndTouchAsync(TimeSpan.FromSeconds(45));

            await cluster.RestartAsync();

            Assert.Equal(coveredAt, (await Rows().GetAsync(covered, CancellationToken.None))!.LastTouched);
            Assert.Equal(uncoveredAt + TimeSpan.FromSeconds(45), (await Rows().GetAsync(uncovered, CancellationToken.None))!.LastTouched);
        }
        finally
        {
            cluster.Options.Grace = TimeSpan.Zero;
        }
    }

    /// <summary>Uploads a blob (its row's touch is the commit) and reads it <paramref name="later"/> (10 s) after.</summary>
    private async Task<(Oci.Digest Digest, DateTimeOffset Committed)> UploadAndTouchAsync(TimeSpan? later = null)
    {
        var repository = GrainCluster.NewRepository("touch");
        var digest = await cluster.UploadAsync(repository);
        var committed = (await Rows().GetAsync(digest, CancellationToken.None))!.LastTouched;
        cluster.Clock.Advance(later ?? TimeSpan.FromSeconds(10));
        Assert.True(await cluster.Blob(digest).TouchIfLinkedAsync(repository));
        Assert.Equal(committed, (await Rows().GetAsync(digest, CancellationToken.None))!.LastTouched);
        return (digest, committed);
    }

    private BlobRows Rows() => cluster.SiloServices.GetRequiredService<BlobRows>();
}
