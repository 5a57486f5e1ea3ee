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
        return Task.FromResult<RepositorySummary?>(new RepositorySummary(State.Tags.Count, State.Manifests.Count, lastPush, digests));
    }

    public Task<IReadOnlyList<TagView>?> ListTagViewsAsync(string? last, int count)
    {
        if (State.Manifests.Count == 0) return Task.FromResult<IReadOnlyList<TagView>?>(null);
        sortedTags ??= State.Tags.Keys.Order(StringComparer.Ordinal).ToArray();
        var start = last is null ? 0 : Array.BinarySearch(sortedTags, last, StringComparer.Ordinal) is var i && i >= 0 ? i + 1 : ~i;
        IReadOnlyList<TagView> views = sortedTags.Skip(start).Take(Math.Max(0, count))
            .Select(tag =>
            {
                var manifest = State.Manifests[State.Tags[tag]];
                return new TagView(tag, manifest, TaggedAt(tag), Closure(manifest.Digest));
            })
            .ToArray();
        return Task.FromResult<IReadOnlyList<TagView>?>(views);
    }

    public async Task<ManifestView?> GetManifestViewAsync(Reference reference)
    {
        if (await ResolveAsync(reference) is not { } manifest) return null;
        var tags = State.Tags.Where(t => t.Value == manifest.Digest).Select(t => t.Key).Order(StringComparer.Ordinal).ToArray();
        var children = manifest.Children.Select(c => State.Manifests.GetValueOrDefault(c)).OfType<ManifestRecord>().ToArray();
        return new ManifestView(manifest, tags, children, Closure(manifest.Digest));
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
