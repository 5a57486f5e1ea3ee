using Nscr.Oci;

namespace Nscr.Grains.Repositories;

[GenerateSerializer]
[Alias("nscr.RepositoryState")]
public sealed class RepositoryState
{
    [Id(0)] public Dictionary<string, Digest> Tags { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<Digest, ManifestRecord> Manifests { get; set; } = [];
    [Id(2)] public bool Cataloged { get; set; }
    /// <summary>When each tag was last pushed (for retention); tags from before this field fall back to their manifest's push.</summary>
    [Id(3)] public Dictionary<string, DateTimeOffset> TaggedAt { get; set; } = new(StringComparer.Ordinal);
    /// <summary>When each manifest was last pulled (GET); written lazily, see <see cref="RepositoryGrain.PullPersistInterval"/>.</summary>
    [Id(4)] public Dictionary<Digest, DateTimeOffset> PulledAt { get; set; } = [];
}
