using Microsoft.Extensions.Logging;

namespace Nscr.Grains.Stats;

/// <summary>
/// Throughput, cluster-wide. Seconds live in a ring in memory (lost on restart, by design); every second reported is
/// also added to its minute, hour and day at once, and those roll-ups are written at most every
/// <see cref="WriteInterval"/> while they change, and on deactivation: a graceful restart loses nothing, a crash at most
/// the last few seconds.
/// </summary>
public sealed class StatsGrain(
    [PersistentState("stats", StorageNames.Registry)] IPersistentState<StatsState> state,
    TimeProvider time,
    ILogger<StatsGrain> logger) : Grain, IStatsGrain
{
    public static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long after its end a second counts as reported by every gateway (they report once a second).</summary>
    public const long SettleSeconds = 2;

    /// <summary>Seconds further ahead of this grain's clock come from a gateway with a wrong clock and are dropped.</summary>
    public const long MaxClockSkewSeconds = 300;

    /// <summary>Seconds a gateway with a clock slightly ahead may report before this grain's clock reaches them.</summary>
    private const long AheadSeconds = 60;

    private static readonly long HeldSeconds = BucketSeries.Seconds.RetentionSeconds;

    /// <summary>The held seconds and the few ahead of the clock, each in its own slot.</summary>
    private readonly ThroughputBucket?[] seconds = new ThroughputBucket?[HeldSeconds + AheadSeconds];
    private bool dirty;

    /// <summary>When the roll-ups were last written (at activation: all there is was just read from storage).</summary>
    private long savedAt;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        savedAt = Now();
        this.RegisterGrainTimer(WriteIfDirtyAsync, WriteInterval, WriteInterval);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => WriteIfDirtyAsync(cancellationToken);

    public Task RecordAsync(IReadOnlyList<ThroughputBucket> reported)
    {
        var now = Now();
        foreach (var second in reported)
        {
            if (second.IsEmpty || second.Start > now + MaxClockSkewSeconds) continue;
            AddSecond(second, now);
            BucketSeries.Minutes.Add(state.State.Minutes, second);
            BucketSeries.Hours.Add(state.State.Hours, second);
            BucketSeries.Days.Add(state.State.Days, second);
            dirty = true;
        }
        BucketSeries.Minutes.Prune(state.State.Minutes, now);
        BucketSeries.Hours.Prune(state.State.Hours, now);
        BucketSeries.Days.Prune(state.State.Days, now);
        return Task.CompletedTask;
    }

    public Task<ThroughputHistory> GetHistoryAsync(ThroughputResolution resolution, long from)
    {
        var now = Now();
        var series = BucketSeries.Of(resolution);
        from = Math.Max(from, series.Cutoff(now));
        IReadOnlyList<ThroughputBucket> buckets = resolution switch
        {
            ThroughputResolution.Second => SecondsHeld(now).Where(b => b.Start >= from).ToArray(),
            ThroughputResolution.Minute => BucketSeries.From(state.State.Minutes, from),
            ThroughputResolution.Hour => BucketSeries.From(state.State.Hours, from),
            _ => BucketSeries.From(state.State.Days, from),
        };
        return Task.FromResult(new ThroughputHistory(now, buckets) { SavedAt = savedAt });
    }

    public Task<ThroughputHistory> GetLiveAsync(long after)
    {
        var now = Now();
        var settled = now - SettleSeconds;
        var first = after + 1;
        if (first <= settled - HeldSeconds) first = settled;
        var buckets = new List<ThroughputBucket>((int)Math.Max(0, settled - first + 1));
        for (var t = first; t <= settled; t++) buckets.Add(SecondAt(t) ?? ThroughputBucket.Empty(t));
        return Task.FromResult(new ThroughputHistory(now, buckets));
    }

    private void AddSecond(ThroughputBucket second, long now)
    {
        // Only the ring's window: older seconds (a gateway that could not report for a while) go to the roll-ups only.
        if (second.Start <= now - HeldSeconds || second.Start > now + AheadSeconds) return;
        var slot = Slot(second.Start);
        seconds[slot] = seconds[slot] is { } held && held.Start == second.Start ? held.Add(second) : second;
    }

    private ThroughputBucket? SecondAt(long start) => seconds[Slot(start)] is { } held && held.Start == start ? held : null;

    private IEnumerable<ThroughputBucket> SecondsHeld(long now)
    {
        for (var t = now - HeldSeconds + 1; t <= now; t++)
        {
            if (SecondAt(t) is { } bucket) yield return bucket;
        }
    }

    private int Slot(long start) => (int)(((start % seconds.Length) + seconds.Length) % seconds.Length);

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    private async Task WriteIfDirtyAsync(CancellationToken cancellationToken)
    {
        if (!dirty) return;
        dirty = false;
        // The grain is not reentrant: nothing is recorded between this instant and the end of the write.
        var writing = Now();
        try
        {
            await state.WriteStateAsync(cancellationToken);
            savedAt = writing;
        }
        catch (Exception e)
        {
            dirty = true;
            StatsLog.WriteFailed(logger, e);
        }
    }
}
