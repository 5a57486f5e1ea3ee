using Nscr.Grains.Tests.Infrastructure;

namespace Nscr.Grains.Tests.Gc;

public sealed class GarbageCollectorGrainTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private IGarbageCollectorGrain Collector => cluster.Grains.GetGrain<IGarbageCollectorGrain>(0);

    private async Task<GcReport> FinishAsync(GcReport started)
    {
        var report = started;
        while (report.State == GcCycleState.Running) report = (await Collector.WaitAsync(started.Id, TimeSpan.FromSeconds(5)))!;
        return report;
    }

    [Fact]
    public async Task Starting_while_a_cycle_runs_answers_with_the_running_one()
    {
        // Enough blobs that the first cycle is still sweeping when the other requests arrive.
        var repository = GrainCluster.NewRepository("gc-grain");
        for (var i = 0; i < 200; i++) await cluster.UploadAsync(repository, 16);

        cluster.Clock.Advance(TimeSpan.FromSeconds(1));

        var first = await Collector.StartAsync(dryRun: false, "test");
        var others = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Collector.StartAsync(dryRun: true, "test")));

        // Each answer is the cycle that ran when it was asked: the first one while it ran (a dry run asked meanwhile
        // gets the real one), or a later one once it had finished. Cycles never overlap.
        var report = await FinishAsync(first);
        var cycles = new List<GcReport> { report };
        foreach (var other in others.Where(o => o.Id != first.Id).DistinctBy(o => o.Id)) cycles.Add(await FinishAsync(other));
        Assert.All(others.Where(o => o.Id == first.Id), o => Assert.False(o.DryRun));
        var ordered = cycles.OrderBy(c => c.Id).ToArray();
        for (var i = 1; i < ordered.Length; i++) Assert.True(ordered[i].StartedAt >= ordered[i - 1].FinishedAt);
        Assert.Equal(GcCycleState.Completed, report.State);
        Assert.True(report.DeletedBlobs >= 200);
        var overview = await Collector.GetStatusAsync();
        Assert.Null(overview.Running);
        Assert.Equal(ordered[^1].Id, overview.History[0].Id);
        Assert.Null(overview.History[0].Items);
        Assert.NotNull((await Collector.WaitAsync(report.Id, TimeSpan.Zero))!.Items);
    }

    [Fact]
    public async Task Status_is_answered_while_a_cycle_runs_and_ids_keep_increasing()
    {
        var first = await FinishAsync(await Collector.StartAsync(dryRun: true, "test"));
        var second = await Collector.StartAsync(dryRun: true, "test");
        var status = await Collector.GetStatusAsync();
        await FinishAsync(second);

        Assert.True(second.Id > first.Id);
        Assert.True(status.Running is null || status.Running.Id == second.Id);
        Assert.Null(await Collector.WaitAsync(long.MaxValue, TimeSpan.Zero));
        Assert.Equal(cluster.Options.Grace, second.StartedAt - second.Cutoff);
    }
}
