using Nscr.Oci;

namespace Nscr.Grains.Repositories;

/// <summary>Read-only views for the admin API (repository list, tags, inspect): metadata only, sizes come from the store.</summary>
public sealed partial class RepositoryGrain
{
    public Task<RepositorySummary?> GetSummaryAsync()
    {
        if (State.Manifests.Count == 0) return Task.FromResult<RepositorySummary?>(null);
        var lastPush = State.Manifests.Values.Select(LastPush).Concat(State.TaggedAt.Values).Max();
        var digests = State.Manifests.Values.SelectMany(m => m.Blobs.Append(m.Digest)).Distinct().ToArray();
        return Task.FromResult<RepositorySummary?>(new RepositorySummary(State.Tags.Count, State.Manifests.Count, lastPush, digests)
        {
            ManifestDigests = State.Manifests.Keys.ToArray(),
            LastPulledAt = State.PulledAt.Count == 0 ? null : State.PulledAt.Values.Max(),
        });
    }

    public Task<IReadOnlyList<TagView>?> ListTagViewsAsync(string? last, int count)
    {
        if (State.Manifests.Count == 0) return Task.FromResult<IReadOnlyList<TagView>?>(null);
        sortedTags ??= State.Tags.Keys.Order(StringComparer.Ordinal).ToArray();
        var start = last is null ? 0 : Array.BinarySearch(sortedTags, last, StringComparer.Ordinal) is var i && i >= 0 ? i + 1 : ~i;
        var page = sortedTags.Skip(start).Take(Math.Max(0, count)).ToArray();
        var holders = page.Length == 0 ? [] : TagsStandingOn();
        IReadOnlyList<TagView> views = page
            .Select(tag =>
            {
                var manifest = State.Manifests[State.Tags[tag]];
                var closure = Closure(manifest.Digest);
                return new TagView(tag, manifest, TaggedAt(tag), closure)
                {
                    LastPulledAt = LastPull(closure),
                    Referrers = referrers.Find(manifest.Digest, null),
                    Exclusive = closure.Where(d => holders[d] == 1).ToArray(),
                };
            })
            .ToArray();
        return Task.FromResult<IReadOnlyList<TagView>?>(views);
    }

    public Task<IReadOnlyList<ManifestView>?> ListManifestViewsAsync()
    {
        if (State.Manifests.Count == 0) return Task.FromResult<IReadOnlyList<ManifestView>?>(null);
        var tags = State.Tags.ToLookup(t => t.Value, t => t.Key);
        IReadOnlyList<ManifestView> views = State.Manifests.Values
            .OrderBy(m => m.Digest.ToString(), StringComparer.Ordinal)
            .Select(m => View(m, tags[m.Digest].Order(StringComparer.Ordinal).ToArray()))
            .ToArray();
        return Task.FromResult<IReadOnlyList<ManifestView>?>(views);
    }

    public async Task<ManifestView?> GetManifestViewAsync(Reference reference)
    {
        if (await ResolveAsync(reference) is not { } manifest) return null;
        var tags = State.Tags.Where(t => t.Value == manifest.Digest).Select(t => t.Key).Order(StringComparer.Ordinal).ToArray();
        return View(manifest, tags);
    }

    private ManifestView View(ManifestRecord manifest, IReadOnlyList<string> tags)
    {
        var children = manifest.Children.Select(c => State.Manifests.GetValueOrDefault(c)).OfType<ManifestRecord>().ToArray();
        var closure = Closure(manifest.Digest);
        return new ManifestView(manifest, tags, children, closure) { LastPulledAt = LastPull(closure) };
    }

    /// <summary>For every digest some tag stands on, how many tags stand on it.</summary>
    private Dictionary<Digest, int> TagsStandingOn()
    {
        var holders = new Dictionary<Digest, int>();
        foreach (var digest in State.Tags.Values.SelectMany(Closure)) holders[digest] = holders.GetValueOrDefault(digest) + 1;
        return holders;
    }

    private DateTimeOffset? LastPull(IEnumerable<Digest> closure)
    {
        DateTimeOffset? last = null;
        foreach (var digest in closure)
        {
            if (State.PulledAt.TryGetValue(digest, out var at) && (last is null || at > last)) last = at;
        }
        return last;
    }

    /// <summary>The manifest, its blobs, and those of its child manifests, transitively (what pulling it downloads).</summary>
    private Digest[] Closure(Digest root)
    {
        var seen = new HashSet<Digest>();
        var pending = new Stack<Digest>([root]);
        while (pending.TryPop(out var digest))
        {
            if (!seen.Add(digest) || !State.Manifests.TryGetValue(digest, out var manifest)) continue;
            foreach (var blob in manifest.Blobs) seen.Add(blob);
            foreach (var child in manifest.Children) pending.Push(child);
        }
        return seen.ToArray();
    }
}
