using Nscr.Metadata;
using Nscr.Oci;

namespace Nscr.Grains.Repositories;

/// <summary>
/// Read-only views for the admin API (summary, tag page, manifests, inspect). The summary and the tag page are indexed
/// reads of the rows, after the pull times this activation holds are written (so they show every pull it has seen);
/// the manifest views need the repository as a whole and read it in one go per call.
/// </summary>
public sealed partial class RepositoryGrain
{
    public async Task<RepositorySummary?> GetSummaryAsync()
    {
        await WritePullsAsync(CancellationToken.None);
        return await usage.GetAsync(Name, CancellationToken.None);
    }

    public async Task<IReadOnlyList<TagView>?> ListTagViewsAsync(string? last, int count)
    {
        await WritePullsAsync(CancellationToken.None);
        var page = await rows.TagPageAsync(Name, last, Math.Max(0, count), CancellationToken.None);
        if (page.Count > 0) return page;
        return await rows.GetAsync(Name, CancellationToken.None) is { Manifests: > 0 } ? page : null;
    }

    public async Task<IReadOnlyList<ManifestView>?> ListManifestViewsAsync()
    {
        var contents = await LoadContentsAsync();
        if (contents.Manifests.Count == 0) return null;
        var sizes = await SizesAsync(contents, contents.Manifests.Values.SelectMany(m => m.Blobs));
        var tags = contents.Tags.ToLookup(t => t.Value, t => t.Key);
        return contents.Manifests.Values
            .OrderBy(m => m.Digest.ToString(), StringComparer.Ordinal)
            .Select(m => View(contents, m, tags[m.Digest].Order(StringComparer.Ordinal).ToArray(), sizes))
            .ToArray();
    }

    public async Task<ManifestView?> GetManifestViewAsync(Reference reference)
    {
        var contents = await LoadContentsAsync();
        var digest = reference.Digest ?? (contents.Tags.TryGetValue(reference.Tag!, out var tagged) ? tagged : null);
        if (digest is not { } d || !contents.Manifests.TryGetValue(d, out var manifest)) return null;
        var tags = contents.Tags.Where(t => t.Value == manifest.Digest).Select(t => t.Key).Order(StringComparer.Ordinal).ToArray();
        var sizes = await SizesAsync(contents, Closure(contents, manifest.Digest));
        return View(contents, manifest, tags, sizes);
    }

    private static ManifestView View(RepositoryContents contents, ManifestRecord manifest, IReadOnlyList<string> tags, Func<Digest, long> size)
    {
        var children = manifest.Children.Select(c => contents.Manifests.GetValueOrDefault(c)).OfType<ManifestRecord>().ToArray();
        var closure = Closure(contents, manifest.Digest);
        return new ManifestView(manifest, tags, children, closure)
        {
            LastPulledAt = LastPull(contents, closure),
            SizeBytes = closure.Sum(size),
            ChildSizeBytes = children.Select(c => c.Blobs.Append(c.Digest).Distinct().Sum(size)).ToArray(),
        };
    }

    /// <summary>Sizes of manifests (their rows) and of <paramref name="blobs"/> (the blob rows; 0 for one not stored).</summary>
    private async Task<Func<Digest, long>> SizesAsync(RepositoryContents contents, IEnumerable<Digest> blobs)
    {
        var stored = await usage.BlobSizesAsync(blobs.Where(b => !contents.Manifests.ContainsKey(b)).Select(b => b.ToString()), CancellationToken.None);
        return digest => contents.Manifests.TryGetValue(digest, out var manifest) ? manifest.Size : stored.GetValueOrDefault(digest.ToString());
    }

    private static DateTimeOffset? LastPull(RepositoryContents contents, IEnumerable<Digest> closure)
    {
        DateTimeOffset? last = null;
        foreach (var digest in closure)
        {
            if (contents.PulledAt.TryGetValue(digest, out var at) && (last is null || at > last)) last = at;
        }
        return last;
    }

    /// <summary>The manifest, its blobs, and those of its child manifests, transitively (what pulling it downloads).</summary>
    private static Digest[] Closure(RepositoryContents contents, Digest root)
    {
        var seen = new HashSet<Digest>();
        var pending = new Stack<Digest>([root]);
        while (pending.TryPop(out var digest))
        {
            if (!seen.Add(digest) || !contents.Manifests.TryGetValue(digest, out var manifest)) continue;
            foreach (var blob in manifest.Blobs) seen.Add(blob);
            foreach (var child in manifest.Children) pending.Push(child);
        }
        return seen.ToArray();
    }
}
