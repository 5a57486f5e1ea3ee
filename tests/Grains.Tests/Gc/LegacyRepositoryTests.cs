using Microsoft.Extensions.DependencyInjection;
using Nscr.Grains.Repositories;
using Nscr.Grains.Tests.Infrastructure;
using Nscr.Metadata;
using Orleans.Runtime;
using Orleans.Storage;

namespace Nscr.Grains.Tests.Gc;

/// <summary>
/// A repository the previous release stored (one serialized state in grain storage, no rows) is moved into rows at
/// start-up: it lists, resolves and keeps its blobs through a GC cycle; its old state is gone.
/// </summary>
public sealed class LegacyRepositoryTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private IGarbageCollectorGrain Collector => cluster.Grains.GetGrain<IGarbageCollectorGrain>(0);

    private ICatalogGrain Catalog => cluster.Grains.GetGrain<ICatalogGrain>(0);

    [Fact]
    public async Task A_repository_in_the_old_format_is_upgraded_at_start_and_keeps_its_blobs()
    {
        var repository = GrainCluster.NewRepository("legacy");
        var layer = await cluster.UploadAsync(repository);
        var image = await cluster.PutImageAsync(repository, "v1", [layer]);
        await cluster.Repository(repository).RecordPullAsync(image.Digest);
        await MakeLegacyAsync(repository);
        Assert.Contains(repository, await Catalog.ListStoredAsync());
        Assert.DoesNotContain(repository, await Catalog.ListAllAsync());

        await cluster.RestartAsync();

        Assert.Contains(repository, await Catalog.ListAllAsync());
        Assert.DoesNotContain(repository, await Catalog.ListStoredAsync());
        var resolved = await cluster.Repository(repository).ResolveAsync(new Oci.Reference("v1", null));
        Assert.Equal(image.Digest, resolved!.Digest);
        Assert.Equal([layer], resolved.Blobs.Where(b => b == layer));
        cluster.Clock.Advance(TimeSpan.FromMinutes(1));
        var report = await Collector.StartAsync(dryRun: false, "test");
        while (report.State == GcCycleState.Running) report = (await Collector.WaitAsync(report.Id, TimeSpan.FromSeconds(5)))!;
        Assert.Equal(GcCycleState.Completed, report.State);
        Assert.True(cluster.FileExists(layer));
        Assert.True(cluster.FileExists(image.Digest));
    }

    [Fact]
    public async Task A_deleted_repository_leaves_its_rows_and_the_catalog()
    {
        var repository = GrainCluster.NewRepository("deleted");
        await cluster.PutImageAsync(repository, "v1", [await cluster.UploadAsync(repository)]);
        Assert.Contains(repository, await Catalog.ListAllAsync());

        Assert.NotNull(await cluster.Repository(repository).DeleteRepositoryAsync());

        Assert.DoesNotContain(repository, await Catalog.ListAllAsync());
        Assert.Null(await cluster.Repository(repository).ListTagsAsync());
    }

    /// <summary>What the previous release left: the repository as one serialized state, and no rows.</summary>
    private async Task MakeLegacyAsync(string repository)
    {
        var rows = cluster.SiloServices.GetRequiredService<RepositoryRows>();
        var contents = await rows.LoadAsync(repository, CancellationToken.None);
        var state = new RepositoryState { Cataloged = true };
        foreach (var (tag, digest) in contents.Tags) state.Tags[tag] = digest;
        foreach (var (tag, at) in contents.TaggedAt) state.TaggedAt[tag] = at;
        foreach (var (digest, manifest) in contents.Manifests) state.Manifests[digest] = manifest;
        state.PulledAt[contents.Manifests.Keys.Single()] = DateTimeOffset.UnixEpoch.AddYears(50);
        var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Registry);
        var grainState = new GrainState<RepositoryState>(state);
        await storage.WriteStateAsync(StorageNames.RepositoryState, cluster.Repository(repository).GetGrainId(), grainState);
        await rows.DropAsync(repository, CancellationToken.None);
    }
}
