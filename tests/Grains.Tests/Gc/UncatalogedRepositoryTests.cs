using Nscr.Grains.Tests.Infrastructure;

namespace Nscr.Grains.Tests.Gc;

/// <summary>A repository whose catalog entry was lost (a failed write) still has its state: GC keeps what it reaches.</summary>
public sealed class UncatalogedRepositoryTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private IGarbageCollectorGrain Collector => cluster.Grains.GetGrain<IGarbageCollectorGrain>(0);

    private ICatalogGrain Catalog => cluster.Grains.GetGrain<ICatalogGrain>(0);

    [Fact]
    public async Task The_mark_phase_reads_repositories_from_grain_storage_not_only_from_the_catalog()
    {
        var repository = GrainCluster.NewRepository("uncataloged");
        var layer = await cluster.UploadAsync(repository);
        var image = await cluster.PutImageAsync(repository, "v1", [layer]);
        await Catalog.RemoveAsync(repository);
        Assert.DoesNotContain(repository, await Catalog.ListAllAsync());
        Assert.Contains(repository, await Catalog.ListStoredAsync());

        cluster.Clock.Advance(TimeSpan.FromMinutes(1));
        var report = await Collector.StartAsync(dryRun: false, "test");
        while (report.State == GcCycleState.Running) report = (await Collector.WaitAsync(report.Id, TimeSpan.FromSeconds(5)))!;

        Assert.Equal(GcCycleState.Completed, report.State);
        Assert.True(cluster.FileExists(layer));
        Assert.True(cluster.FileExists(image.Digest));
        Assert.NotNull(await cluster.Repository(repository).ResolveAsync(new Oci.Reference("v1", null)));
    }

    [Fact]
    public async Task A_deleted_repository_leaves_grain_storage_and_the_catalog()
    {
        var repository = GrainCluster.NewRepository("deleted");
        await cluster.PutImageAsync(repository, "v1", [await cluster.UploadAsync(repository)]);
        Assert.Contains(repository, await Catalog.ListStoredAsync());

        Assert.NotNull(await cluster.Repository(repository).DeleteRepositoryAsync());

        Assert.DoesNotContain(repository, await Catalog.ListStoredAsync());
        Assert.DoesNotContain(repository, await Catalog.ListAllAsync());
    }
}
