using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Metadata;

/// <summary>
/// Everything a repository holds, read in one go: for the work that needs the whole repository (a GC cycle's
/// reachability, the admin views, a repository delete, the upgrade of the old serialized state), never for a push or
/// a pull, whose cost must not grow with the repository.
/// </summary>
public sealed class RepositoryContents
{
    public Dictionary<string, Digest> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>When each tag was last pointed at its manifest.</summary>
    public Dictionary<string, DateTimeOffset> TaggedAt { get; } = new(StringComparer.Ordinal);

    public Dictionary<Digest, ManifestRecord> Manifests { get; } = [];

    /// <summary>When each manifest was last pulled, for the manifests pulled at least once.</summary>
    public Dictionary<Digest, DateTimeOffset> PulledAt { get; } = [];
}
