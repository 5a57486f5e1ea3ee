using Nscr.Oci;

namespace Nscr.Grains.Repositories;

/// <summary>
/// The manifests a repository grain resolved lately, by tag or digest: a pull resolves the same reference for its
/// HEAD and GET. Bounded (a hot repository pulls a few tags, not all of them); the grain clears it on every change
/// it writes, being the only writer of its rows.
/// </summary>
internal sealed class ResolvedManifests
{
    private const int Capacity = 64;
    private readonly Dictionary<string, ManifestRecord> byReference = new(StringComparer.Ordinal);

    public bool TryGet(Reference reference, out ManifestRecord? manifest)
    {
        var found = byReference.TryGetValue(Key(reference), out var hit);
        manifest = hit;
        return found;
    }

    public void Add(Reference reference, ManifestRecord manifest)
    {
        if (byReference.Count >= Capacity) byReference.Clear();
        byReference[Key(reference)] = manifest;
    }

    /// <summary>Before <paramref name="tags"/> move to <paramref name="digest"/> (whose push time may change).</summary>
    public void Forget(Digest digest, IReadOnlyList<string> tags)
    {
        byReference.Remove(digest.ToString());
        foreach (var tag in tags) byReference.Remove(tag);
    }

    public void Clear() => byReference.Clear();

    // A tag cannot contain ':', a digest always does: one key space for both.
    private static string Key(Reference reference) => reference.Digest?.ToString() ?? reference.Tag!;
}
