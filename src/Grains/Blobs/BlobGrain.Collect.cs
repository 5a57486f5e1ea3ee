namespace Nscr.Grains.Blobs;

/// <summary>The GC's side of the blob grain: deletion and link pruning, each decided and done inside one turn.</summary>
public sealed partial class BlobGrain
{
    public async Task<BlobCollectResult> CollectAsync(DateTimeOffset cutoff, bool dryRun)
    {
        if (row is { } committed)
        {
            if (lastTouched >= cutoff) return new(BlobCollectOutcome.Refused, committed.Size);
            if (dryRun) return new(BlobCollectOutcome.Deleted, committed.Size);
            await ForgetAsync();
            await store.DeleteAsync(Digest, CancellationToken.None);
            return new(BlobCollectOutcome.Deleted, committed.Size);
        }

        // Not committed: a file here is an orphan (a crash between the file and the row, either way round).
        var stored = await store.StatAsync(Digest, CancellationToken.None);
        if (stored is null) return new(BlobCollectOutcome.Absent, 0);
        if (stored.LastModified >= cutoff) return new(BlobCollectOutcome.Refused, stored.Size);
        if (!dryRun) await store.DeleteAsync(Digest, CancellationToken.None);
        return new(BlobCollectOutcome.OrphanDeleted, stored.Size);
    }

    public async Task<int> PruneLinksAsync(IReadOnlyList<string> repositories, DateTimeOffset cutoff, bool dryRun)
    {
        if (!Committed || lastTouched >= cutoff) return 0;
        foreach (var repository in repositories) linked.Remove(repository);
        return await WriteOrForgetAsync(() => rows.PruneLinksAsync(Digest, repositories, dryRun, CancellationToken.None));
    }

    /// <summary>
    /// Deletes the rows before the file: from here on the blob is not committed (AddReference and Link fail), and a
    /// crash before the file goes leaves an orphan the next cycle deletes. A failed delete's outcome is unknown: the
    /// activation goes (see <see cref="WriteOrForgetAsync{T}"/>) and the file stays.
    /// </summary>
    private async Task ForgetAsync()
    {
        await WriteOrForgetAsync(() => rows.DeleteAsync(Digest, CancellationToken.None));
        row = null;
        lastTouched = default;
        linked.Clear();
    }
}
