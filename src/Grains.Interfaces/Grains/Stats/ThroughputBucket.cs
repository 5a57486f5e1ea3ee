namespace Nscr.Grains;

/// <summary>What throughput is counted by: the kinds of registry traffic people watch, everything else in <see cref="Other"/>.</summary>
[GenerateSerializer]
[Alias("nscr.ThroughputKind")]
public enum ThroughputKind
{
    BlobPush,
    BlobPull,
    ManifestPush,
    ManifestPull,
    Other,
}

/// <summary>Requests and bytes of one kind in one bucket.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.ThroughputCounts")]
public readonly record struct ThroughputCounts(
    [property: Id(0)] long Requests,
    [property: Id(1)] long BytesIn,
    [property: Id(2)] long BytesOut)
{
    public bool IsEmpty => Requests == 0 && BytesIn == 0 && BytesOut == 0;

    public static ThroughputCounts operator +(ThroughputCounts a, ThroughputCounts b) =>
        new(a.Requests + b.Requests, a.BytesIn + b.BytesIn, a.BytesOut + b.BytesOut);
}

/// <summary>
/// The traffic of one time bucket (a second, minute, hour or day starting at <see cref="Start"/>, unix seconds), by kind.
/// Fixed fields rather than a map: five kinds, compact in grain storage.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("nscr.ThroughputBucket")]
public sealed record ThroughputBucket(
    [property: Id(0)] long Start,
    [property: Id(1)] ThroughputCounts BlobPush,
    [property: Id(2)] ThroughputCounts BlobPull,
    [property: Id(3)] ThroughputCounts ManifestPush,
    [property: Id(4)] ThroughputCounts ManifestPull,
    [property: Id(5)] ThroughputCounts Other)
{
    public static ThroughputBucket Empty(long start) => new(start, default, default, default, default, default);

    public ThroughputCounts Total => BlobPush + BlobPull + ManifestPush + ManifestPull + Other;

    public bool IsEmpty => BlobPush.IsEmpty && BlobPull.IsEmpty && ManifestPush.IsEmpty && ManifestPull.IsEmpty && Other.IsEmpty;

    public ThroughputCounts this[ThroughputKind kind] => kind switch
    {
        ThroughputKind.BlobPush => BlobPush,
        ThroughputKind.BlobPull => BlobPull,
        ThroughputKind.ManifestPush => ManifestPush,
        ThroughputKind.ManifestPull => ManifestPull,
        _ => Other,
    };

    /// <summary>This bucket's counts plus <paramref name="other"/>'s, under this bucket's start.</summary>
    public ThroughputBucket Add(ThroughputBucket other) => new(
        Start,
        BlobPush + other.BlobPush,
        BlobPull + other.BlobPull,
        ManifestPush + other.ManifestPush,
        ManifestPull + other.ManifestPull,
        Other + other.Other);
}
