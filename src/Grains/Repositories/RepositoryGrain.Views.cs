using Nscr.Metadata;
using Nscr.Oci;

namespace Nscr.Grains.Repositories;

/// <summary>
/// Read-only views for the admin API (repository summary, tags, inspect): metadata only, sizes come from the store.
/// They need the repository as a whole (what each tag stands on alone) and read it in one go per call.
/// </summary>
public sealed partial class RepositoryGrain
{
    public async Task<RepositorySummary?> GetSummaryAsync()
    {
        var contents = await LoadContentsAsync();
        if (contents.Manifests.Count == 0) return null;
        var lastPush = contents.Manifests.Values.Select(LastPush).Concat(contents.TaggedAt.Values).Max();
        var digests = contents.Manifests.Values.SelectMany(m => m.Blobs.Append(m.Digest)).Distinct().ToArray();
        return new RepositorySummary(contents.Tags.Count, contents.Manifests.Count, lastPush, digests)
        {
            ManifestDigests = contents.Manifests.Keys.ToArray(),
            LastPulledAt = contents.PulledAt.Count == 0 ? null : contents.PulledAt.Values.Max(),
        };
    }

    public async Task<IReadOnlyList<TagView>?> ListTagViewsAsync(string? last, int count)
    {
        var contents = await LoadContentsAsync();
        if (contents.Manifests.Count == 0) return null;
        var page = contents.Tags.Keys.Where(t => last is null || string.CompareOrdinal(t, last) > 0)
            .Order(StringComparer.Ordinal).Take(Math.Max(0, count)).ToArray();
        var holders = page.Length == 0 ? [] : TagsStandingOn(contents);
        var referrers = new ReferrerIndex();
        referrers.Rebuild(contents.Manifests.Values);
        return page
            .Select(tag =>
            {
                var manifest = contents.Manifests[contents.Tags[tag]];
                var closure = Closure(contents, manifest.Digest);
                return new TagView(tag, manifest, TaggedAt(contents, tag), closure)
                {
                    LastPulledAt = LastPull(contents, closure),
                    Referrers = referrers.Find(manifest.Digest, null),
                    Exclusive = closure.Where(d => holders[d] == 1).ToArray(),
                };
            })
            .ToArray();
    }

    public async Task<IReadOnlyList<ManifestView>?> ListManifestViewsAsync()
    {
        var contents = await LoadContentsAsync();
        if (contents.Manifests.Count == 0) return null;
        var tags = contents.Tags.ToLookup(t => t.Value, t => t.Key);
        return contents.Manifests.Values
            .OrderBy(m => m.Digest.ToString(), StringComparer.Ordinal)
            .Select(m => View(contents, m, tags[m.Digest].Order(StringComparer.Ordinal).ToArray()))
            .ToArray();
    }

    public async Task<ManifestView?> GetManifestViewAsync(Reference reference)
    {
        var contents = await LoadContentsAsync();
        var digest = reference.Digest ?? (contents.Tags.TryGetValue(reference.Tag!, out var tagged) ? tagged : null);
        if (digest is not { } d || !contents.Manifests.TryGetValue(d, out var manifest)) return null;
        var tags = contents.Tags.Where(t => t.Value == manifest.Digest).Select(t => t.Key).Order(StringComparer.Ordinal).ToArray();
        return View(contents, manifest, tags);
    }

    private static ManifestView View(RepositoryContents contents, ManifestRecord manifest, IReadOnlyList<string> tags)
    {
        var children = manifest.Children.Select(c => contents.Manifests.GetValueOrDefault(c)).OfType<ManifestRecord>().ToArray();
        var closure = Closure(contents, manifest.Digest);
        return new ManifestView(manifest, tags, children, closure) { LastPulledAt = LastPull(contents, closure) };
    }

    /// <summary>For every digest some tag stands on, how many tags stand on it.</summary>
    private static Dictionary<Digest, int> TagsStandingOn(RepositoryContents contents)
    {
        var holders = new Dictionary<Digest, int>();
        foreach (var digest in contents.Tags.Values.SelectMany(d => Closure(contents, d))) holders[digest] = holders.GetValueOrDefault(digest) + 1;
        return holders;
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
