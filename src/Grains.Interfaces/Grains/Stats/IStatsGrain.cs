using Orleans.Concurrency;

namespace Nscr.Grains;

/// <summary>The bucket sizes throughput history is kept in.</summary>
[GenerateSerializer]
[Alias("nscr.ThroughputResolution")]
public enum ThroughputResolution
{
    Second,
    Minute,
    Hour,
    Day,
}

/// <summary>
/// Singleton (key 0) holding the registry's throughput, cluster-wide: every gateway sends it its per-second buckets once
/// a second; it keeps the last minutes of seconds in memory and rolls them up into minute, hour and day buckets that
/// are persisted (and pruned: minutes after 48 h, hours after 90 days, days after 3 years).
/// </summary>
[Alias("nscr.IStatsGrain")]
public interface IStatsGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a gateway's seconds (usually one; more after a failed call is retried) to every resolution.</summary>
    [Alias("Record")]
    Task RecordAsync(IReadOnlyList<ThroughputBucket> seconds);

    /// <summary>Buckets of <paramref name="resolution"/> starting at or after <paramref name="from"/> (unix), oldest first; empty ones omitted.</summary>
    [Alias("History"), ReadOnly]
    Task<ThroughputHistory> GetHistoryAsync(ThroughputResolution resolution, long from);

    /// <summary>
    /// Every settled second after <paramref name="after"/> (unix), all-zero ones included, oldest first: a second is
    /// settled once every gateway has had time to report it. When <paramref name="after"/> is older than the seconds
    /// held, only the newest settled second.
    /// </summary>
    [Alias("Live"), ReadOnly]
    Task<ThroughputHistory> GetLiveAsync(long after);
}

/// <summary>An answer of <see cref="IStatsGrain"/>: the grain's clock (unix) and buckets, oldest first.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.ThroughputHistory")]
public sealed record ThroughputHistory([property: Id(0)] long Now, [property: Id(1)] IReadOnlyList<ThroughputBucket> Buckets)
{
    /// <summary>
    /// When (grain clock, unix) the roll-ups were last written: everything the grain had recorded before that second
    /// survives a crash. Null in the answers that do not say.
    /// </summary>
    [Id(2)] public long? SavedAt { get; init; }
}
