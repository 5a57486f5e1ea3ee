namespace Nscr.Grains.Stats;

/// <summary>The persisted roll-ups, each list sorted by bucket start with empty buckets left out.</summary>
[GenerateSerializer]
[Alias("nscr.StatsState")]
public sealed class StatsState
{
    [Id(0)] public List<ThroughputBucket> Minutes { get; set; } = [];

    [Id(1)] public List<ThroughputBucket> Hours { get; set; } = [];

    [Id(2)] public List<ThroughputBucket> Days { get; set; } = [];
}
