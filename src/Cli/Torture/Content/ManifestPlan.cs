namespace Nscr.Cli.Torture.Content;

/// <summary>A manifest ready to push: its bytes, the blobs to upload before it, and (for an index) the child
/// manifests to push before it.</summary>
public sealed record ManifestPlan(Blob Manifest, IReadOnlyList<Blob> Blobs, IReadOnlyList<ManifestPlan> Children)
{
    public string Digest => Manifest.Digest;

    public bool IsIndex => Children.Count > 0;
}
