namespace Nscr.Oci;

/// <summary>An OCI content descriptor, as found in manifests and indexes.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.Descriptor")]
public sealed record Descriptor(
    [property: Id(0)] string MediaType,
    [property: Id(1)] Digest Digest,
    [property: Id(2)] long Size)
{
    [Id(3)] public string? ArtifactType { get; init; }
    [Id(4)] public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    [Id(5)] public Platform? Platform { get; init; }
    /// <summary>Non-distributable layers carry URLs and are not expected in the registry.</summary>
    [Id(6)] public bool HasUrls { get; init; }
}

[GenerateSerializer, Immutable]
[Alias("nscr.Platform")]
public sealed record Platform(
    [property: Id(0)] string Os,
    [property: Id(1)] string Architecture,
    [property: Id(2)] string? Variant);
