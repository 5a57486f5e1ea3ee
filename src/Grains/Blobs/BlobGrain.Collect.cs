namespace Nscr.Grains.Blobs;

/// <summary>The GC's side of the blob grain: deletion and link pruning, each decided and done inside one turn.</summary>
public sealed partial class BlobGrain
{
    public async Task<BlobCollectResult> CollectAsync(DateTimeOffset cutoff, bool dryRun)
    {
        if (State.Committed)
        {
            if (State.LastTouched >= cutoff) return new(BlobCollectOutcome.Refused, State.Size);
            var size = State.Size;
            if (dryRun) return new(BlobCollectOutcome.Deleted, size);
            await ForgetAsync();
            await store.DeleteAsync(Digest, CancellationToken.None);
            return new(BlobCollectOutcome.Deleted, size);
        }

        // Not committed: a file here is an orphan (a crash between the file and the state, either way round).
        var stored = await store.StatAsync(Digest, CancellationToken.None);
        if (stored is null)
        {
            if (state.RecordExists && !dryRun) await ForgetAsync();
            return new(BlobCollectOutcome.Absent, 0);
        }
        if (stored.LastModified >= cutoff) return new(BlobCollectOutcome.Refused, stored.Size);
        if (!dryRun)
        {
            if (state.RecordExists) await ForgetAsync();
            await store.DeleteAsync(Digest, CancellationToken.None);
        }
        return new(BlobCollectOutcome.OrphanDeleted, stored.Size);
    }

    public async Task<int> PruneLinksAsync(IReadOnlyList<string> repositories, DateTimeOffset cutoff, bool dryRun)
    {
        if (!State.Committed || State.LastTouched >= cutoff) return 0;
        var stale = repositories.Where(State.Repositories.Contains).ToArray();
        if (stale.Length == 0 || dryRun) return stale.Length;
        foreach (var repository in stale) State.Repositories.Remove(repository);
        await WriteAsync();
        return stale.Length;
    }

    /// <summary>
    /// Deletes the state row: from here on the blob is not committed (AddReference and Link fail) and the database does
    /// not keep a row per deleted blob. When the delete fails its outcome is unknown: the activation goes, so the next
    /// one reads what the database holds, and the file stays either way.
    /// </summary>
    private async Task ForgetAsync()
    {
        try
        {
            await state.ClearStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
        state.State = new BlobState();
        persistedTouch = default;
    }
}
