namespace Nscr.Oci;

/// <summary>What a pushed manifest says: the parts the registry must know about (references, subject, artifact type).</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.ManifestContent")]
public sealed record ManifestContent(
    [property: Id(0)] string MediaType,
    [property: Id(1)] Descriptor? Config,
    [property: Id(2)] IReadOnlyList<Descriptor> Layers,
    [property: Id(3)] IReadOnlyList<Descriptor> Manifests,
    [property: Id(4)] Descriptor? Subject,
    [property: Id(5)] string? ArtifactType,
    [property: Id(6)] IReadOnlyDictionary<string, string>? Annotations)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>The artifact type a referrers response reports: artifactType, else the config media type.</summary>
    public string? EffectiveArtifactType => ArtifactType ?? Config?.MediaType;

    /// <summary>Blobs that must exist in the repository for this manifest to be accepted.</summary>
    public IEnumerable<Digest> ReferencedBlobs()
    {
        if (Config is not null) yield return Config.Digest;
        foreach (var layer in Layers)
        {
            if (!layer.HasUrls) yield return layer.Digest;
        }
    }
}
