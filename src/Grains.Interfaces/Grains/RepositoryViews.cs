using Nscr.Oci;

namespace Nscr.Grains;

/// <summary>What the admin API lists of a repository. <see cref="Digests"/> are every manifest and blob its manifests
/// stand on (for its size, which the gateway reads from the blob store: grains keep no blob sizes).</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.RepositorySummary")]
public sealed record RepositorySummary(
    [property: Id(0)] int Tags,
    [property: Id(1)] int Manifests,
    [property: Id(2)] DateTimeOffset LastPushedAt,
    [property: Id(3)] IReadOnlyList<Digest> Digests)
{
    /// <summary>The digests of the manifests themselves (a subset of <see cref="Digests"/>).</summary>
    [Id(4)] public IReadOnlyList<Digest> ManifestDigests { get; init; } = [];

    /// <summary>The latest pull of any of its manifests; null when none was pulled.</summary>
    [Id(5)] public DateTimeOffset? LastPulledAt { get; init; }
}

/// <summary>One tag: the manifest it points to, when it was last pushed, and what the image stands on (its closure).</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.TagView")]
public sealed record TagView(
    [property: Id(0)] string Tag,
    [property: Id(1)] ManifestRecord Manifest,
    [property: Id(2)] DateTimeOffset PushedAt,
    [property: Id(3)] IReadOnlyList<Digest> Closure)
{
    /// <summary>The latest pull of the manifest or of one of its children; null when never pulled.</summary>
    [Id(4)] public DateTimeOffset? LastPulledAt { get; init; }

    /// <summary>Referrers of the tagged manifest (signatures, SBOMs, attestations).</summary>
    [Id(5)] public IReadOnlyList<Descriptor> Referrers { get; init; } = [];

    /// <summary>The part of <see cref="Closure"/> that no other tag of the repository stands on.</summary>
    [Id(6)] public IReadOnlyList<Digest> Exclusive { get; init; } = [];
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
}
