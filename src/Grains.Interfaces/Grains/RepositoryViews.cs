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
    [property: Id(3)] IReadOnlyList<Digest> Digests);

/// <summary>One tag: the manifest it points to, when it was last pushed, and what the image stands on (its closure).</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.TagView")]
public sealed record TagView(
    [property: Id(0)] string Tag,
    [property: Id(1)] ManifestRecord Manifest,
    [property: Id(2)] DateTimeOffset PushedAt,
    [property: Id(3)] IReadOnlyList<Digest> Closure);

/// <summary>One manifest for inspection: the tags pointing to it, its child manifests (an index) and its closure.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.ManifestView")]
public sealed record ManifestView(
    [property: Id(0)] ManifestRecord Manifest,
    [property: Id(1)] IReadOnlyList<string> Tags,
    [property: Id(2)] IReadOnlyList<ManifestRecord> Children,
    [property: Id(3)] IReadOnlyList<Digest> Closure);
