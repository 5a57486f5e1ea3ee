using Microsoft.Extensions.DependencyInjection;
using Nscr.Grains.Blobs;
using Nscr.Grains.Tests.Infrastructure;
using Nscr.Grains.Upgrade;
using Nscr.Metadata;
using Orleans.Runtime;
using Orleans.Storage;

namespace Nscr.Grains.Tests.Gc;

/// <summary>
/// A blob the previous release stored (one serialized state with its set of linked repositories, no rows) is moved
/// into rows at start-up: it keeps its size, times and links, serves its repositories, and its old state is gone.
/// </summary>
public sealed class LegacyBlobTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    [Fact]
    public async Task A_blob_in_the_old_format_is_upgraded_at_start_with_its_links()
    {
        var (first, second) = (GrainCluster.NewRepository("legacy-blob"), GrainCluster.NewRepository("legacy-blob"));
        var digest = await cluster.UploadAsync(first, size: 321);
        var rows = cluster.SiloServices.GetRequiredService<BlobRows>();
        var committed = (await rows.GetAsync(digest, CancellationToken.None))!;
        var touched = committed.LastTouched.AddMinutes(-30);
        var state = new BlobState { Committed = true, Size = 321, CommittedAt = committed.CommittedAt, LastTouched = touched };
        state.Repositories.UnionWith([first, second]);
        var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Registry);
        await storage.WriteStateAsync(StorageNames.BlobState, cluster.Blob(digest).GetGrainId(), new GrainState<BlobState>(state));
        await rows.DeleteAsync(digest, CancellationToken.None);
        var legacy = cluster.SiloServices.GetRequiredService<ILegacyStates>();
        Assert.Contains(digest.ToString(), await legacy.ListAsync(StorageNames.BlobState, CancellationToken.None));

        await cluster.RestartAsync();

        rows = cluster.SiloServices.GetRequiredService<BlobRows>();
        legacy = cluster.SiloServices.GetRequiredService<ILegacyStates>();
        Assert.Equal(new BlobRow(321, committed.CommittedAt, touched), await rows.GetAsync(digest, CancellationToken.None));
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), await rows.LinksAsync(digest, CancellationToken.None));
        Assert.DoesNotContain(digest.ToString(), await legacy.ListAsync(StorageNames.BlobState, CancellationToken.None));
        Assert.True(await cluster.Blob(digest).IsLinkedAsync(second));
        Assert.Equal(321, (await cluster.Blob(digest).AddReferenceAsync(first)).Size);
    }
}
