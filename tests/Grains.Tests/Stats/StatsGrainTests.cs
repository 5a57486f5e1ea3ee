using Microsoft.Extensions.DependencyInjection;
using Nscr.Grains.Stats;
using Nscr.Grains.Tests.Infrastructure;
using Orleans.Storage;

namespace Nscr.Grains.Tests.Stats;

public sealed class StatsGrainTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private const long Day = 86400;

    /// <summary>A grain of its own per test: the production key is 0, but the grain does not depend on it.</summary>
    private IStatsGrain NewGrain() => cluster.Grains.GetGrain<IStatsGrain>(Random.Shared.NextInt64(1, long.MaxValue));

    private long Now => cluster.Clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Moves the clock to <paramref name="offset"/> seconds past the next UTC midnight, which it returns.</summary>
    private long MoveToNextDay(long offset)
    {
        var midnight = (Now / Day + 1) * Day;
        cluster.Clock.Advance(TimeSpan.FromSeconds(midnight + offset - Now));
        return midnight;
    }

    private static ThroughputBucket Second(long start, long pushRequests, long pushBytes = 0, long pullRequests = 0, long pullBytes = 0) =>
        ThroughputBucket.Empty(start) with
        {
            BlobPush = new ThroughputCounts(pushRequests, pushBytes, 0),
            ManifestPull = new ThroughputCounts(pullRequests, 0, pullBytes),
        };

    private static IEnumerable<(long Start, long Requests)> Requests(ThroughputHistory history) =>
        history.Buckets.Select(b => (b.Start, b.Total.Requests));

    [Fact]
    public async Task Seconds_roll_up_into_the_minute_hour_and_day_they_fall_in()
    {
        var stats = NewGrain();
        var midnight = MoveToNextDay(120);
        await stats.RecordAsync([Second(midnight - 1, 1, pushBytes: 10), Second(midnight, 2, pullRequests: 5, pullBytes: 700)]);
        await stats.RecordAsync([Second(midnight + 59, 4), Second(midnight + 60, 8)]);
        // A second reported twice (two gateways) adds up.
        await stats.RecordAsync([Second(midnight + 60, 16)]);

        var seconds = await stats.GetHistoryAsync(ThroughputResolution.Second, 0);
        Assert.Equal([(midnight - 1, 1L), (midnight, 7L), (midnight + 59, 4L), (midnight + 60, 24L)], Requests(seconds));
        var minutes = await stats.GetHistoryAsync(ThroughputResolution.Minute, 0);
        Assert.Equal([(midnight - 60, 1L), (midnight, 11L), (midnight + 60, 24L)], Requests(minutes));
        var hours = await stats.GetHistoryAsync(ThroughputResolution.Hour, 0);
        Assert.Equal([(midnight - 3600, 1L), (midnight, 35L)], Requests(hours));
        var days = await stats.GetHistoryAsync(ThroughputResolution.Day, 0);
        Assert.Equal([(midnight - Day, 1L), (midnight, 35L)], Requests(days));
        Assert.Equal(midnight + 120, days.Now);

        var today = days.Buckets[1];
        Assert.Equal(new ThroughputCounts(30, 0, 0), today.BlobPush);
        Assert.Equal(new ThroughputCounts(5, 0, 700), today.ManifestPull);
        Assert.Equal(new ThroughputCounts(1, 10, 0), days.Buckets[0].Total);

        var fromSecondMinute = await stats.GetHistoryAsync(ThroughputResolution.Minute, midnight + 1);
        Assert.Equal([(midnight + 60, 24L)], Requests(fromSecondMinute));

        // A gateway whose clock is far ahead is not believed.
        await stats.RecordAsync([Second(Now + StatsGrain.MaxClockSkewSeconds + 60, 100)]);
        Assert.Equal(36, (await stats.GetHistoryAsync(ThroughputResolution.Day, 0)).Buckets.Sum(b => b.Total.Requests));
        Assert.Equal(36, (await stats.GetHistoryAsync(ThroughputResolution.Second, 0)).Buckets.Sum(b => b.Total.Requests));
    }

    [Fact]
    public async Task Each_resolution_keeps_its_buckets_for_its_retention_only()
    {
        var stats = NewGrain();
        var midnight = MoveToNextDay(0);
        await stats.RecordAsync([Second(midnight, 1)]);

        cluster.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty((await stats.GetHistoryAsync(ThroughputResolution.Second, 0)).Buckets);
        Assert.Single((await stats.GetHistoryAsync(ThroughputResolution.Minute, 0)).Buckets);

        cluster.Clock.Advance(TimeSpan.FromHours(48));
        await stats.RecordAsync([Second(Now, 2)]);
        Assert.Equal([(BucketSeries.Minutes.StartOf(Now), 2L)], Requests(await stats.GetHistoryAsync(ThroughputResolution.Minute, 0)));
        Assert.Equal([(midnight, 1L), (BucketSeries.Hours.StartOf(Now), 2L)], Requests(await stats.GetHistoryAsync(ThroughputResolution.Hour, 0)));

        cluster.Clock.Advance(TimeSpan.FromDays(90));
        await stats.RecordAsync([Second(Now, 4)]);
        Assert.Equal([(BucketSeries.Hours.StartOf(Now), 4L)], Requests(await stats.GetHistoryAsync(ThroughputResolution.Hour, 0)));
        Assert.Equal(midnight, (await stats.GetHistoryAsync(ThroughputResolution.Day, 0)).Buckets[0].Start);

        cluster.Clock.Advance(TimeSpan.FromDays(3 * 365 + 1));
        Assert.Empty((await stats.GetHistoryAsync(ThroughputResolution.Day, 0)).Buckets);
    }

    [Fact]
    public async Task Live_seconds_are_dense_and_end_at_the_last_settled_second()
    {
        var stats = NewGrain();
        MoveToNextDay(30);
        var now = Now;
        await stats.RecordAsync([Second(now - 5, 1), Second(now - 3, 2), Second(now, 9)]);

        var live = await stats.GetLiveAsync(now - 6);
        Assert.Equal(
            [(now - 5, 1L), (now - 4, 0L), (now - 3, 2L), (now - StatsGrain.SettleSeconds, 0L)],
            Requests(live));
        Assert.Empty((await stats.GetLiveAsync(now - StatsGrain.SettleSeconds)).Buckets);
        // A poller that has nothing yet (or fell behind the seconds held) starts at the newest settled second.
        Assert.Equal([now - StatsGrain.SettleSeconds], (await stats.GetLiveAsync(0)).Buckets.Select(b => b.Start));
    }

    [Fact]
    public async Task The_roll_ups_are_written_within_seconds_while_the_grain_stays_active()
    {
        var stats = NewGrain();
        MoveToNextDay(10);
        var second = Now - 1;
        await stats.RecordAsync([Second(second, 3)]);

        var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Registry);
        var deadline = DateTime.UtcNow + StatsGrain.WriteInterval * 4;
        while (true)
        {
            var stored = new GrainState<StatsState>(new StatsState());
            await storage.ReadStateAsync("stats", stats.GetGrainId(), stored);
            if (stored.State is { Minutes.Count: 1 } written)
            {
                Assert.Equal(3, written.Minutes[0].BlobPush.Requests);
                Assert.Equal(BucketSeries.Days.StartOf(second), Assert.Single(written.Days).Start);
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "the roll-ups were not written");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task History_survives_reactivation_and_a_silo_restart_but_seconds_do_not()
    {
        var key = Random.Shared.NextInt64(1, long.MaxValue);
        MoveToNextDay(10);
        var second = Now - 1;
        await cluster.Grains.GetGrain<IStatsGrain>(key).RecordAsync([Second(second, 3)]);

        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var stats = cluster.Grains.GetGrain<IStatsGrain>(key);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await stats.GetHistoryAsync(ThroughputResolution.Second, 0)).Buckets.Count != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the grain was not deactivated");
            await Task.Delay(50);
        }
        Assert.Equal([(BucketSeries.Minutes.StartOf(second), 3L)], Requests(await stats.GetHistoryAsync(ThroughputResolution.Minute, 0)));

        await stats.RecordAsync([Second(second, 4)]);
        await cluster.RestartAsync();

        stats = cluster.Grains.GetGrain<IStatsGrain>(key);
        Assert.Equal([(BucketSeries.Minutes.StartOf(second), 7L)], Requests(await stats.GetHistoryAsync(ThroughputResolution.Minute, 0)));
        Assert.Equal([(BucketSeries.Days.StartOf(second), 7L)], Requests(await stats.GetHistoryAsync(ThroughputResolution.Day, 0)));
        Assert.Empty((await stats.GetHistoryAsync(ThroughputResolution.Second, 0)).Buckets);
    }
}
