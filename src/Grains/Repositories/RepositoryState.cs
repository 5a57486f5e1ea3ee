using Nscr.Oci;

namespace Nscr.Grains.Repositories;

[GenerateSerializer]
[Alias("nscr.RepositoryState")]
public sealed class RepositoryState
{
    [Id(0)] public Dictionary<string, Digest> Tags { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<Digest, ManifestRecord> Manifests { get; set; } = [];
    /// <summary>Blobs uploaded or mounted here: visible under /v2/&lt;name&gt;/blobs/.</summary>
    [Id(2)] public HashSet<Digest> Blobs { get; set; } = [];
    [Id(3)] public bool Cataloged { get; set; }

    public bool IsEmpty => Tags.Count == 0 && Manifests.Count == 0 && Blobs.Count == 0;
}
