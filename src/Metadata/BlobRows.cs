using Nscr.Oci;

namespace Nscr.Metadata;

/// <summary>
/// A blob's rows: the committed blob and the repositories it is linked to. Meant for the blob grain, the single
/// writer of its digest (the one place that serialises "reference this blob" against "delete this blob").
/// </summary>
public sealed class BlobRows(MetadataDatabase database)
{
    /// <summary>
    /// Records a blob whose bytes were just moved into place, linked to <paramref name="repository"/>, in one
    /// transaction. <paramref name="committedAt"/> is the first commit's time (the grain keeps it on a re-upload).
    /// </summary>
    public Task CommitAsync(Digest digest, long size, DateTimeOffset committedAt, string repository, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var at = Sql.Time(now);
            await UpsertAsync(connection, transaction, digest, size, committedAt, now, cancellationToken);
            await InsertLinkAsync(connection, transaction, digest, repository, at, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Writes a blob the previous release kept as one serialized state, with its links, in one transaction; an
    /// upsert, so an import interrupted before the old state was deleted is done again.
    /// </summary>
    public Task ImportAsync(Digest digest, long size, DateTimeOffset committedAt, DateTimeOffset lastTouched, IEnumerable<string> repositories, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await UpsertAsync(connection, transaction, digest, size, committedAt, lastTouched, cancellationToken);
            foreach (var repository in repositories)
            {
                await InsertLinkAsync(connection, transaction, digest, repository, Sql.Time(lastTouched), cancellationToken);
            }
            return true;
        }, cancellationToken);

    /// <summary>Whether the blob is linked to <paramref name="repository"/> (committed blobs only have links).</summary>
    public Task<bool> IsLinkedAsync(Digest digest, string repository, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => await Sql.ScalarAsync(connection, null,
            "SELECT 1 FROM nscr_blob_links WHERE digest = @d AND repository = @r;",
            cancellationToken, ("@d", digest.ToString()), ("@r", repository)) is not null, cancellationToken);

    /// <summary>The committed blob, or null.</summary>
    public Task<BlobRow?> GetAsync(Digest digest, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => (await Sql.ListAsync(connection, null,
            "SELECT size, committed_at, last_touched_at FROM nscr_blobs WHERE digest = @d;",
            r => new BlobRow(r.GetInt64(0), Sql.Time(r.GetInt64(1)), Sql.Time(r.GetInt64(2))),
            cancellationToken, ("@d", digest.ToString()))).FirstOrDefault(), cancellationToken);

    /// <summary>Links a committed blob to another repository (a mount) and records the touch; false when the blob is not committed.</summary>
    public Task<bool> LinkAsync(Digest digest, string repository, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var at = Sql.TouchTime(now);
            var touched = await Sql.ExecuteAsync(connection, transaction, "UPDATE nscr_blobs SET last_touched_at = @now WHERE digest = @d;",
                cancellationToken, ("@d", digest.ToString()), ("@now", at));
            if (touched == 0) return false;
            await InsertLinkAsync(connection, transaction, digest, repository, at, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Removes one link; false when there was none.</summary>
    public Task<bool> UnlinkAsync(Digest digest, string repository, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "DELETE FROM nscr_blob_links WHERE digest = @d AND repository = @r;",
            cancellationToken, ("@d", digest.ToString()), ("@r", repository)) > 0, cancellationToken);

    /// <summary>The repositories the blob is linked to, in name order.</summary>
    public Task<IReadOnlyList<string>> LinksAsync(Digest digest, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(async connection => await Sql.ListAsync(connection, null,
            "SELECT repository FROM nscr_blob_links WHERE digest = @d ORDER BY repository;",
            r => r.GetString(0), cancellationToken, ("@d", digest.ToString())), cancellationToken);

    /// <summary>
    /// Removes the links to <paramref name="repositories"/> (ones that are gone) in one transaction, or with
    /// <paramref name="dryRun"/> only counts them; returns how many there are.
    /// </summary>
    public Task<int> PruneLinksAsync(Digest digest, IReadOnlyList<string> repositories, bool dryRun, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var current = (await Sql.ListAsync(connection, transaction, "SELECT repository FROM nscr_blob_links WHERE digest = @d;",
                r => r.GetString(0), cancellationToken, ("@d", digest.ToString()))).ToHashSet(StringComparer.Ordinal);
            var stale = repositories.Where(current.Contains).Distinct(StringComparer.Ordinal).ToArray();
            if (dryRun) return stale.Length;
            foreach (var repository in stale)
            {
                await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_blob_links WHERE digest = @d AND repository = @r;",
                    cancellationToken, ("@d", digest.ToString()), ("@r", repository));
            }
            return stale.Length;
        }, cancellationToken);

    /// <summary>The blobs linked to <paramref name="repository"/>, by key range (the GC prunes links to gone repositories).</summary>
    public Task<IReadOnlyList<Digest>> LinkedToAsync(string repository, Digest? after, int count, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Digest>>(async connection => await Sql.ListAsync(connection, null,
            "SELECT digest FROM nscr_blob_links WHERE repository = @r AND digest > @after ORDER BY digest LIMIT @n;",
            r => Digest.Parse(r.GetString(0)), cancellationToken,
            ("@r", repository), ("@after", after?.ToString() ?? ""), ("@n", count)), cancellationToken);

    /// <summary>Writes a touch the grain kept in memory (touches are persisted lazily); never moves it back.</summary>
    public Task TouchAsync(Digest digest, DateTimeOffset at, CancellationToken cancellationToken) =>
        TouchAllAsync([(digest, at)], cancellationToken);

    /// <summary>Writes several touches in one transaction (see <see cref="BlobTouches"/>); each never moves a time back.</summary>
    public Task TouchAllAsync(IReadOnlyList<(Digest Digest, DateTimeOffset At)> touches, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var (digest, at) in touches)
            {
                await Sql.ExecuteAsync(connection, transaction,
                    "UPDATE nscr_blobs SET last_touched_at = @at WHERE digest = @d AND last_touched_at < @at;",
                    cancellationToken, ("@d", digest.ToString()), ("@at", Sql.TouchTime(at)));
            }
            return touches.Count;
        }, cancellationToken);

    /// <summary>Forgets the blob and its links in one transaction (the GC does this before the bytes go).</summary>
    public Task DeleteAsync(Digest digest, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_blob_links WHERE digest = @d;", cancellationToken, ("@d", digest.ToString()));
            return await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_blobs WHERE digest = @d;", cancellationToken, ("@d", digest.ToString()));
        }, cancellationToken);

    /// <summary>
    /// The GC's candidates, by key range: committed blobs last touched before <paramref name="cutoff"/> that no
    /// manifest of any repository stands on and that are no repository's manifest. Only candidates: each blob's
    /// grain decides, in its own turn, whether it really goes (a reference may arrive after this read).
    /// </summary>
    public Task<IReadOnlyList<Digest>> UnreferencedAsync(DateTimeOffset cutoff, Digest? after, int count, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Digest>>(async connection => await Sql.ListAsync(connection, null,
            """
            SELECT b.digest FROM nscr_blobs b
            WHERE b.digest > @after AND b.last_touched_at < @cutoff
              AND NOT EXISTS (SELECT 1 FROM nscr_manifest_blobs mb WHERE mb.blob = b.digest)
              AND NOT EXISTS (SELECT 1 FROM nscr_manifests m WHERE m.digest = b.digest)
            ORDER BY b.digest LIMIT @n;
            """,
            r => Digest.Parse(r.GetString(0)), cancellationToken,
            ("@after", after?.ToString() ?? ""), ("@cutoff", Sql.Time(cutoff)), ("@n", count)), cancellationToken);

    private static Task<int> UpsertAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Digest digest, long size, DateTimeOffset committedAt, DateTimeOffset lastTouched, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO nscr_blobs (digest, size, committed_at, last_touched_at) VALUES (@d, @size, @committed, @touched) " +
            "ON CONFLICT (digest) DO UPDATE SET size = excluded.size, committed_at = excluded.committed_at, last_touched_at = excluded.last_touched_at;",
            cancellationToken, ("@d", digest.ToString()), ("@size", size), ("@committed", Sql.Time(committedAt)), ("@touched", Sql.TouchTime(lastTouched)));

    private static Task<int> InsertLinkAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Digest digest, string repository, long at, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO nscr_blob_links (digest, repository, linked_at) VALUES (@d, @r, @now) ON CONFLICT (digest, repository) DO NOTHING;",
            cancellationToken, ("@d", digest.ToString()), ("@r", repository), ("@now", at));
}

/// <summary>A committed blob: its size, when it was committed and when it was last touched (as persisted).</summary>
public sealed record BlobRow(long Size, DateTimeOffset CommittedAt, DateTimeOffset LastTouched);
