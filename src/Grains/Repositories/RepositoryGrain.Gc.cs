using Nscr.Oci;

namespace Nscr.Grains.Repositories;

/// <summary>The garbage collector's side of the repository: retention, collection of unreachable manifests, deletion.</summary>
public sealed partial class RepositoryGrain
{
    public async Task<RepositoryCollectResult> CollectAsync(RepositoryCollectRequest request)
    {
        var deletedTags = TagRetention.TagsToDelete(State.Tags, TaggedAt, request.Rule, request.Now);
        var keptTags = State.Tags.Where(t => !deletedTags.Contains(t.Key)).Select(t => t.Value);
        var deleteUntagged = request.Rule?.DeleteUntagged ?? request.DeleteUntagged;
        // A manifest pushed within the grace period is a root: the index or the tag that will use it may be on its way.
        var protectedManifests = State.Manifests.Values
            .Where(m => !deleteUntagged || LastPush(m) >= request.Cutoff)
            .Select(m => m.Digest);
        var reachable = ManifestReachability.Reachable(State.Manifests, keptTags.Concat(protectedManifests));
        var doomed = State.Manifests.Values.Where(m => !reachable.Contains(m.Digest)).ToArray();
        var live = reachable.SelectMany(d => State.Manifests[d].Blobs.Append(d)).Distinct().ToArray();
        var empty = reachable.Count == 0;

        if (!request.DryRun)
        {
            if (empty)
            {
                await DropAsync();
            }
            else if (deletedTags.Count > 0 || doomed.Length > 0)
            {
                foreach (var tag in deletedTags) RemoveTag(tag);
                foreach (var manifest in doomed)
                {
                    State.Manifests.Remove(manifest.Digest);
                    referrers.Remove(manifest);
                }
                await SaveAsync();
            }
        }
        return new RepositoryCollectResult(
            live, deletedTags, doomed.Select(m => new CollectedManifest(m.Digest, m.Size)).ToArray(), empty);
    }

    public async Task<RepositoryDeletion?> DeleteRepositoryAsync()
    {
        if (State.Manifests.Count == 0)
        {
            // Finishes a delete whose state went but whose catalog entry stayed.
            await DropAsync();
            return null;
        }
        var digests = State.Manifests.Values.SelectMany(m => m.Blobs.Append(m.Digest)).Distinct().ToArray();
        var (manifests, tags) = (State.Manifests.Count, State.Tags.Count);
        await DropAsync();

        // After the state is gone, so a failure here only leaves links the next GC cycle prunes.
        var unlinked = await Task.WhenAll(digests.Select(d => Blob(d).UnlinkAsync(Name)));
        return new RepositoryDeletion(manifests, tags, unlinked.Count(u => u));
    }

    public Task<IReadOnlyList<Digest>> ReferencedDigestsAsync()
    {
        IReadOnlyList<Digest> digests = State.Manifests.Values.SelectMany(m => m.Blobs.Append(m.Digest)).Distinct().ToArray();
        return Task.FromResult(digests);
    }

    /// <summary>
    /// Deletes the state row, then leaves the catalog: an empty repository costs nothing. In this order a failure leaves
    /// the repository whole and listed (the row stays), or empty and still listed, which a retry, or the next GC cycle
    /// (it collects every listed repository), finishes. The other order could drop a repository that still has tags
    /// from the catalog. The catalog is asked even when this activation thinks it is not listed there: an entry whose
    /// removal failed before the grain was deactivated is only known to the catalog.
    /// </summary>
    private async Task DropAsync()
    {
        if (state.RecordExists) await state.ClearStateAsync();
        state.State = new RepositoryState();
        referrers.Rebuild([]);
        sortedTags = null;
        await GrainFactory.GetGrain<ICatalogGrain>(0).RemoveAsync(Name);
    }

    private DateTimeOffset TaggedAt(string tag) =>
        State.TaggedAt.TryGetValue(tag, out var at) ? at : State.Manifests[State.Tags[tag]].PushedAt;

    private static DateTimeOffset LastPush(ManifestRecord manifest) =>
        manifest.RefreshedAt > manifest.PushedAt ? manifest.RefreshedAt : manifest.PushedAt;
}
