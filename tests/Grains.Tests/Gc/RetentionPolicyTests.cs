using Nscr.Grains.Tests.Infrastructure;

namespace Nscr.Grains.Tests.Gc;

/// <summary>
/// The GC grain's retention policy: the configured rules until the API saves others (kept in grain storage), a preview
/// that runs a dry run with proposed rules and saves nothing, and cycles that apply the policy in force.
/// </summary>
public sealed class RetentionPolicyTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private IGarbageCollectorGrain Collector => cluster.Grains.GetGrain<IGarbageCollectorGrain>(0);

    private async Task<GcReport> FinishAsync(GcReport started)
    {
        var report = started;
        while (report.State == GcCycleState.Running) report = (await Collector.WaitAsync(started.Id, TimeSpan.FromSeconds(5)))!;
        return report;
    }

    private async Task<string> RepositoryWithTagsAsync(params string[] tags)
    {
        var repository = GrainCluster.NewRepository("policy");
        foreach (var tag in tags)
        {
            await cluster.PutImageAsync(repository, tag, [await cluster.UploadAsync(repository)]);
            cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        return repository;
    }

    [Fact]
    public async Task A_preview_reports_with_the_proposed_rules_and_a_saved_policy_drives_the_next_cycle_until_reset()
    {
        var repository = await RepositoryWithTagsAsync("a", "b", "c");
        var rules = new[] { new RetentionRule { Repository = "policy/*", KeepNewest = 1 } };
        Assert.Equal(RetentionPolicy.FromConfiguration, (await Collector.GetRetentionAsync()).Source);

        var preview = await FinishAsync((await Collector.PreviewRetentionAsync(rules))!);
        Assert.True(preview.DryRun);
        Assert.Equal("retention", preview.Trigger);
        Assert.Contains($"{repository}:a", preview.Items!.Tags);
        Assert.Contains($"{repository}:b", preview.Items!.Tags);
        Assert.Equal(3, (await cluster.Repository(repository).ListTagsAsync())!.Count);
        Assert.Equal(RetentionPolicy.FromConfiguration, (await Collector.GetRetentionAsync()).Source);

        // Without a saved policy, the configuration (no rules here) keeps every tag.
        await FinishAsync(await Collector.StartAsync(dryRun: false, "test"));
        Assert.Equal(3, (await cluster.Repository(repository).ListTagsAsync())!.Count);

        var saved = await Collector.SetRetentionAsync(rules);
        Assert.Equal(RetentionPolicy.FromApi, saved.Source);
        Assert.Equal(cluster.Clock.GetUtcNow(), saved.UpdatedAt);
        Assert.Equal(rules, saved.Rules);
        var cycle = await FinishAsync(await Collector.StartAsync(dryRun: false, "test"));
        Assert.Equal(2, cycle.Items!.Tags.Count(t => t.StartsWith(repository, StringComparison.Ordinal)));
        Assert.Equal(["c"], await cluster.Repository(repository).ListTagsAsync());

        var reset = await Collector.SetRetentionAsync(null);
        Assert.Equal(new RetentionPolicy(RetentionPolicy.FromConfiguration, cluster.Options.Retention, null), reset);
    }

    [Fact]
    public async Task A_preview_is_refused_while_another_cycle_runs()
    {
        var repository = GrainCluster.NewRepository("busy");
        for (var i = 0; i < 150; i++) await cluster.UploadAsync(repository, 16);
        cluster.Clock.Advance(TimeSpan.FromSeconds(1));

        var running = await Collector.StartAsync(dryRun: true, "test");
        var preview = await Collector.PreviewRetentionAsync([]);
        var finished = await FinishAsync(running);

        // Either the first cycle was still running (refused), or it had already finished (a new dry run started).
        Assert.True(preview is null || preview.Id > finished.Id);
        if (preview is not null) await FinishAsync(preview);
        Assert.NotNull(await Collector.PreviewRetentionAsync([]));
    }
}
