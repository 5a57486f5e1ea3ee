using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Grains.Gc;

/// <summary>The sweep: blobs nobody marked, links to repositories that are gone, idle uploads and orphan staged files.</summary>
internal sealed partial class GcCycle
{
    /// <summary>Links per query when listing the blobs linked to a gone repository.</summary>
    private const int LinkPage = 1000;

    private async Task SweepBlobsAsync(HashSet<Digest> marked, IReadOnlyList<string> gone)
    {
        // A marked blob is asked to prune only when it has a link to prune: the others' grains stay asleep.
        var linkedToGone = await LinkedToAsync(gone);
        await ForEachAsync(store.ListBlobsAsync(CancellationToken.None), async blob =>
        {
            tally.ScannedBlobs++;
            if (!Digest.TryParse(blob.Name, out var digest)) return;
            var grain = grains.GetGrain<IBlobGrain>(blob.Name);
            try
            {
                if (marked.Contains(digest))
                {
                    if (!linkedToGone.Contains(digest)) return;
                    // Awaited first: "x += await …" would read x before the await and lose the others' updates.
                    var pruned = await grain.PruneLinksAsync(gone, Cutoff, DryRun);
                    tally.PrunedLinks += pruned;
                    return;
                }
                Count(blob.Name, await grain.CollectAsync(Cutoff, DryRun));
            }
            catch (Exception e)
            {
                ItemFailed(e, "collect blob", blob.Name);
            }
        });
    }

    private async Task<HashSet<Digest>> LinkedToAsync(IReadOnlyList<string> repositories)
    {
        var linked = new HashSet<Digest>();
        foreach (var repository in repositories)
        {
            Digest? after = null;
            while (true)
            {
                var page = await blobRows.LinkedToAsync(repository, after, LinkPage, CancellationToken.None);
                linked.UnionWith(page);
                if (page.Count < LinkPage) break;
                after = page[^1];
            }
        }
        return linked;
    }

    private void Count(string digest, BlobCollectResult result)
    {
        switch (result.Outcome)
        {
            case BlobCollectOutcome.Deleted:
                tally.DeletedBlobs++;
                tally.BytesReclaimed += result.Size;
                GcTally.Add(tally.Blobs, digest);
                break;
            case BlobCollectOutcome.OrphanDeleted:
                tally.DeletedOrphanFiles++;
                tally.BytesReclaimed += result.Size;
                GcTally.Add(tally.OrphanFiles, $"blobs/{digest}");
                break;
            case BlobCollectOutcome.Refused:
                tally.RefusedBlobs++;
                break;
        }
    }

    private async Task SweepUploadsAsync()
    {
        var idleBefore = identity.StartedAt - options.UploadTimeout;
        var orphanBefore = identity.StartedAt - (options.Grace > SessionlessStagingAge ? options.Grace : SessionlessStagingAge);
        await ForEachAsync(store.ListStagedAsync(CancellationToken.None), async staged =>
        {
            try
            {
                var outcome = await grains.GetGrain<IUploadSessionGrain>(staged.Name).ExpireAsync(idleBefore, DryRun);
                if (outcome == UploadExpiryOutcome.Expired)
                {
                    tally.ExpiredUploads++;
                    tally.BytesReclaimed += staged.Size;
                    GcTally.Add(tally.Uploads, staged.Name);
                }
                else if (outcome == UploadExpiryOutcome.Unknown && staged.LastModified < orphanBefore)
                {
                    if (!DryRun) await store.DeleteStagedAsync(staged.Name, CancellationToken.None);
                    tally.DeletedOrphanFiles++;
                    tally.BytesReclaimed += staged.Size;
                    GcTally.Add(tally.OrphanFiles, $"uploads/{staged.Name}");
                }
            }
            catch (Exception e)
            {
                ItemFailed(e, "expire upload", staged.Name);
            }
        });
    }

    private void ItemFailed(Exception exception, string action, string item)
    {
        GcLog.ItemFailed(logger, exception, identity.Id, action, item);
        tally.AddError($"{action} {item}: {exception.Message}");
    }
}
