using Nscr.Oci;

namespace Nscr.Grains;

/// <summary>
/// What the admin API lists of a repository: counts, times, and its bytes. <see cref="SizeBytes"/> counts every
/// manifest and blob its manifests stand on once; <see cref="UniqueBytes"/> those no other repository stands on.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("nscr.RepositorySummary")]
public sealed record RepositorySummary(
    [property: Id(0)] string Name,
    [property: Id(1)] int Tags,
    [property: Id(2)] int Manifests,
    [property: Id(3)] DateTimeOffset LastPushedAt,
    [property: Id(4)] DateTimeOffset? LastPulledAt,
    [property: Id(5)] long SizeBytes)
{
    [Id(6)] public long UniqueBytes { get; init; }

    /// <summary>How many distinct digests (manifests and blobs) its manifests stand on.</summary>
    [Id(7)] public int Digests { get; init; }

    public long SharedBytes => SizeBytes - UniqueBytes;
}

/// <summary>
/// One tag of the tag page: the manifest it points to, when it was last pointed there, what pulling it downloads
/// (<see cref="SizeBytes"/>: the manifest, its children and their blobs, once each) and the part of that no other tag,
/// here or in another repository, stands on.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("nscr.TagView")]
public sealed record TagView(
    [property: Id(0)] string Tag,
    [property: Id(1)] ManifestRecord Manifest,
    [property: Id(2)] DateTimeOffset PushedAt,
    [property: Id(3)] long SizeBytes,
    [property: Id(4)] long UniqueBytes)
{
    /// <summary>The latest pull of the manifest or of one of its children; null when never pulled.</summary>
    [Id(5)] public DateTimeOffset? LastPulledAt { get; init; }

    /// <summary>Referrers of the tagged manifest (signatures, SBOMs, attestations).</summary>
    [Id(6)] public IReadOnlyList<Descriptor> Referrers { get; init; } = [];
}

/// <summary>One manifest for inspection: the tags pointing to it, its child manifests (an index) and its closure.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.ManifestView")]
public sealed record ManifestView(
    [property: Id(0)] ManifestRecord Manifest,
    [property: Id(1)] IReadOnlyList<string> Tags,
    [property: Id(2)] IReadOnlyList<ManifestRecord> Children,
    [property: Id(3)] IReadOnlyList<Digest> Closure)
{
    /// <summary>The latest pull of the manifest or of one of its children; null when never pulled.</summary>
    [Id(4)] public DateTimeOffset? LastPulledAt { get; init; }

    /// <summary>The bytes of <see cref="Closure"/>, each digest once.</summary>
    [Id(5)] public long SizeBytes { get; init; }

    /// <summary>The bytes of each child (its manifest and blobs), in the order of <see cref="Children"/>.</summary>
    [Id(6)] public IReadOnlyList<long> ChildSizeBytes { get; init; } = [];
}
