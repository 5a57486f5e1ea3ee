using Nscr.Oci;

namespace Nscr.Grains.Repositories;

/// <summary>In-memory index subject digest → manifests that name it as their subject; rebuilt on activation.</summary>
internal sealed class ReferrerIndex
{
    private readonly Dictionary<Digest, List<ManifestRecord>> bySubject = [];

    public void Rebuild(IEnumerable<ManifestRecord> manifests)
    {
        bySubject.Clear();
        foreach (var manifest in manifests) Add(manifest);
    }

    public void Add(ManifestRecord manifest)
    {
        if (manifest.Subject is not { } subject) return;
        if (!bySubject.TryGetValue(subject, out var list)) bySubject[subject] = list = [];
        list.Add(manifest);
    }

    public void Remove(ManifestRecord manifest)
    {
        if (manifest.Subject is not { } subject || !bySubject.TryGetValue(subject, out var list)) return;
        list.RemoveAll(m => m.Digest == manifest.Digest);
        if (list.Count == 0) bySubject.Remove(subject);
    }

    public IReadOnlyList<Descriptor> Find(Digest subject, string? artifactType)
    {
        if (!bySubject.TryGetValue(subject, out var list)) return [];
        return list
            .Where(m => artifactType is null || m.ArtifactType == artifactType)
            .OrderBy(m => m.PushedAt)
            .Select(m => new Descriptor(m.MediaType, m.Digest, m.Size)
            {
                ArtifactType = m.ArtifactType,
                Annotations = m.Annotations,
            })
            .ToArray();
    }
}
