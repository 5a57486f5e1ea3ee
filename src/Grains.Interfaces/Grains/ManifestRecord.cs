using Nscr.Oci;

namespace Nscr.Grains;

/// <summary>
/// What the repository keeps of a manifest: its identity and the references it makes. Compact on purpose: the
/// repository's state holds one per manifest and is written whole; the full body is in the blob store.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("nscr.ManifestRecord")]
public sealed record ManifestRecord(
    [property: Id(0)] Digest Digest,
    [property: Id(1)] long Size,
    [property: Id(2)] string MediaType,
    [property: Id(3)] IReadOnlyList<Digest> Blobs,
    [property: Id(4)] IReadOnlyList<Digest> Children,
    [property: Id(5)] Digest? Subject,
    [property: Id(6)] string? ArtifactType,
    [property: Id(7)] IReadOnlyDictionary<string, string>? Annotations,
    [property: Id(8)] DateTimeOffset PushedAt)
{
    /// <summary>The latest push of these bytes (the first is <see cref="PushedAt"/>): the GC grace counts from here.</summary>
    [Id(9)] public DateTimeOffset RefreshedAt { get; init; }

    /// <summary>Keeps what the registry tracks of <paramref name="content"/>; annotations only where referrers need them.</summary>
    public static ManifestRecord From(Digest digest, long size, ManifestContent content) => new(
        digest,
        size,
        content.MediaType,
        content.ReferencedBlobs().Distinct().ToArray(),
        content.Manifests.Select(m => m.Digest).Distinct().ToArray(),
        content.Subject?.Digest,
        content.EffectiveArtifactType,
        content.Subject is null ? null : content.Annotations,
        default);
}
