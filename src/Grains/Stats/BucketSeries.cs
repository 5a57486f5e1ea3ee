namespace Nscr.Grains.Stats;

/// <summary>A resolution's bucket size and how long its buckets are kept.</summary>
public readonly record struct BucketSeries(ThroughputResolution Resolution, long BucketSeconds, long RetentionSeconds)
{
    public static readonly BucketSeries Seconds = new(ThroughputResolution.Second, 1, 10 * 60);
    public static readonly BucketSeries Minutes = new(ThroughputResolution.Minute, 60, 48 * 3600);
    public static readonly BucketSeries Hours = new(ThroughputResolution.Hour, 3600, 90 * 86400);
    public static readonly BucketSeries Days = new(ThroughputResolution.Day, 86400, 1096 * 86400);

    public static BucketSeries Of(ThroughputResolution resolution) => resolution switch
    {
        ThroughputResolution.Second => Seconds,
        ThroughputResolution.Minute => Minutes,
        ThroughputResolution.Hour => Hours,
        _ => Days,
    };

    /// <summary>The start of the bucket <paramref name="unix"/> falls in (floor, also before 1970).</summary>
    public long StartOf(long unix) => unix - (((unix % BucketSeconds) + BucketSeconds) % BucketSeconds);

    /// <summary>Buckets starting before this are dropped.</summary>
    public long Cutoff(long now) => StartOf(now) - RetentionSeconds + BucketSeconds;

    /// <summary>Adds <paramref name="second"/> into its bucket of the sorted <paramref name="buckets"/>.</summary>
    public void Add(List<ThroughputBucket> buckets, ThroughputBucket second)
    {
        var start = StartOf(second.Start);
        // Seconds arrive nearly in order: the bucket is almost always the last one, or a new last one.
        var index = buckets.Count - 1;
        while (index >= 0 && buckets[index].Start > start) index--;
        if (index >= 0 && buckets[index].Start == start)
        {
            buckets[index] = buckets[index].Add(second);
        }
        else
        {
            buckets.Insert(index + 1, ThroughputBucket.Empty(start).Add(second));
        }
    }

    /// <summary>Drops the buckets past retention; true when any was dropped.</summary>
    public bool Prune(List<ThroughputBucket> buckets, long now)
    {
        var cutoff = Cutoff(now);
        var drop = 0;
        while (drop < buckets.Count && buckets[drop].Start < cutoff) drop++;
        if (drop == 0) return false;
        buckets.RemoveRange(0, drop);
        return true;
    }

    /// <summary>The buckets starting at or after <paramref name="from"/>, oldest first.</summary>
    public static ThroughputBucket[] From(List<ThroughputBucket> buckets, long from)
    {
        var first = buckets.FindIndex(b => b.Start >= from);
        return first < 0 ? [] : buckets.GetRange(first, buckets.Count - first).ToArray();
    }
}
