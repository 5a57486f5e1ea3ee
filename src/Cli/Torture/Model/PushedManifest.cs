using Nscr.Cli.Torture.Content;

namespace Nscr.Cli.Torture.Model;

/// <summary>A manifest the registry acknowledged (201): its exact bytes, the blobs it references and, for an
/// index, its child manifests. Blob bytes are not kept, only what a pull must hash to.</summary>
public sealed record PushedManifest(Blob Manifest, IReadOnlyList<Descriptor> Blobs, IReadOnlyList<PushedManifest> Children)
{
    public string Digest => Manifest.Digest;

    /// <summary>When the registry acknowledged it (UTC; for forensics).</summary>
    public DateTimeOffset AcknowledgedAt { get; init; } = DateTimeOffset.UtcNow;

    public static PushedManifest From(ManifestPlan plan) => new(
        plan.Manifest,
        plan.Blobs.Select(b => b.Descriptor).ToList(),
        plan.Children.Select(From).ToList());
}
