using Nscr.Grains.Tests.Infrastructure;

namespace Nscr.Grains.Tests.Races;

/// <summary>
/// A whole GC cycle (no grace) races the first manifest of a new repository, which the cycle can only find through the
/// catalog. Whatever the interleaving, a manifest that was committed keeps its blobs.
/// </summary>
public sealed class FirstPushVersusCycleTests : IClassFixture<GrainCluster>
{
    private const int Interleavings = 200;

    private readonly GrainCluster cluster;

    public FirstPushVersusCycleTests(GrainCluster cluster)
    {
        this.cluster = cluster;
        // Every reading of the clock moves it on: the cutoff and the touches are ordered as they really happened.
        cluster.Clock.Tick = TimeSpan.FromTicks(1);
    }

    private IGarbageCollectorGrain Collector => cluster.Grains.GetGrain<IGarbageCollectorGrain>(0);

    [Fact]
    public async Task A_first_push_racing_a_cycle_never_commits_a_manifest_whose_blob_was_collected()
    {
        var (committed, refused) = (0, 0);
        for (var i = 0; i < Interleavings; i++)
        {
            var repository = GrainCluster.NewRepository("first-push");
            var layer = await cluster.UploadAsync(repository);
            var manifest = await cluster.PrepareImageAsync(repository, [layer]);
            var delay = Random.Shared.Next(-3000, 3000);
            var put = Task.Run(async () =>
            {
                if (delay > 0) Thread.SpinWait(delay * 10);
                await cluster.Repository(repository).PutManifestAsync(manifest, "v1");
                return manifest;
            });
            var cycle = Task.Run(async () =>
            {
                if (delay < 0) Thread.SpinWait(-delay * 10);
                var report = await Collector.StartAsync(dryRun: false, "race");
                while (report.State == GcCycleState.Running) report = (await Collector.WaitAsync(report.Id, TimeSpan.FromSeconds(5)))!;
                return report;
            });
            try
            {
                await put;
            }
            catch (Exception)
            {
                // Lost the race: a blob was collected before its reference registered. Checked below.
            }
            Assert.Empty((await cycle).Errors);

            if (put.IsCompletedSuccessfully)
            {
                committed++;
                Assert.True(cluster.FileExists(layer), $"iteration {i}: committed manifest lost layer {layer}");
                Assert.True(cluster.FileExists((await put).Digest), $"iteration {i}: committed manifest lost its own bytes");
                Assert.NotNull(await cluster.Blob(layer).GetAsync());
            }
            else
            {
                refused++;
                Assert.Null(await cluster.Repository(repository).ListTagsAsync());
            }
        }
        Assert.True(committed > 0, $"committed {committed}, refused {refused}");
    }
}
