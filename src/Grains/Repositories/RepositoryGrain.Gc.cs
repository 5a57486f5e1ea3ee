using Nscr.Metadata;
using Nscr.Oci;

namespace Nscr.Grains.Repositories;

/// <summary>The garbage collector's side of the repository: retention, collection of unreachable manifests, deletion.</summary>
public sealed partial class RepositoryGrain
{
    public async Task<RepositoryCollectResult> CollectAsync(RepositoryCollectRequest request)
    {
        // A cycle needs the whole repository (reachability); it reads it in one go and writes only what it removes.
        var contents = await LoadContentsAsync();
        var deletedTags = TagRetention.TagsToDelete(contents.Tags, tag => TaggedAt(contents, tag), request.Rule, request.Now);
        var keptTags = contents.Tags.Where(t => !deletedTags.Contains(t.Key)).Select(t => t.Value);
        var deleteUntagged = request.Rule?.DeleteUntagged ?? request.DeleteUntagged;
        // A manifest pushed within the grace period is a root: the index or the tag that will use it may be on its way.
        var protectedManifests = contents.Manifests.Values
            .Where(m => !deleteUntagged || LastPush(m) >= request.Cutoff)
            .Select(m => m.Digest);
        var reachable = ManifestReachability.Reachable(contents.Manifests, keptTags.Concat(protectedManifests));
        var doomed = contents.Manifests.Values.Where(m => !reachable.Contains(m.Digest)).ToArray();
        var live = reachable.SelectMany(d => contents.Manifests[d].Blobs.Append(d)).Distinct().ToArray();
        var empty = reachable.Count == 0;

        if (!request.DryRun)
        {
            if (empty)
            {
                await DropAsync();
            }
            else if (deletedTags.Count > 0 || doomed.Length > 0)
            {
                resolved.Clear();
                await rows.RemoveAsync(Name, deletedTags.ToArray(), doomed.Select(m => m.Digest).ToArray(), CancellationToken.None);
                foreach (var manifest in doomed) unwrittenPulls.Remove(manifest.Digest);
            }
        }
        return new RepositoryCollectResult(
            live, deletedTags, doomed.Select(m => new CollectedManifest(m.Digest, m.Size)).ToArray(), empty);
    }

    public async Task<RepositoryDeletion?> DeleteRepositoryAsync()
    {
        var row = await rows.GetAsync(Name, CancellationToken.None);
        if (row is not { Manifests: > 0 })
        {
            // Finishes a delete that failed half-way, or drops the row a failed first push left.
            await DropAsync();
            return null;
        }
        var digests = await rows.ReferencedDigestsAsync(Name, CancellationToken.None);
        await DropAsync();

        // After the rows are gone, so a failure here only leaves links the next GC cycle prunes.
        var unlinked = await Task.WhenAll(digests.Select(d => Blob(d).UnlinkAsync(Name)));
        return new RepositoryDeletion(row.Manifests, row.Tags, unlinked.Count(u => u));
    }

    public Task<IReadOnlyList<Digest>> ReferencedDigestsAsync() => rows.ReferencedDigestsAsync(Name, CancellationToken.None);

    /// <summary>
    /// Deletes every row of the repository, its catalog row with them, in one transaction: a failure leaves the
    /// repository whole and listed, which a retry or the next GC cycle (it collects every listed repository) finishes.
    /// </summary>
    private async Task DropAsync()
    {
        resolved.Clear();
        unwrittenPulls.Clear();
        await rows.DropAsync(Name, CancellationToken.None);
        listed = false;
    }

    private static DateTimeOffset TaggedAt(RepositoryContents contents, string tag) =>
        contents.TaggedAt.TryGetValue(tag, out var at) ? at : contents.Manifests[contents.Tags[tag]].PushedAt;

    private static DateTimeOffset LastPush(ManifestRecord manifest) =>
        manifest.RefreshedAt > manifest.PushedAt ? manifest.RefreshedAt : manifest.PushedAt;
}
