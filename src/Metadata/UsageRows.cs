using System.Data.Common;
using System.Globalization;
using System.Text;
using Nscr.Grains;

namespace Nscr.Metadata;

/// <summary>
/// The admin API's figures, read from the rows: repository pages with their bytes (unique and shared for the page's
/// repositories only), and registry-wide blob figures. Per-repository sizes are the ones the repository grains keep
/// (<c>size_bytes</c>); nothing here visits a grain or lists the blob store.
/// </summary>
public sealed class UsageRows(MetadataDatabase database, TimeProvider time)
{
    private readonly UniqueBytesCache cache = new(time);
    private readonly KeptPass<StoredFigures> stored = new(time);
    private readonly KeptPass<long> shared = new(time);

    /// <summary>
    /// A page of the repositories holding a manifest: <c>nscr_repositories</c> filtered, sorted and paged (a small
    /// table, one row per repository), then the unique bytes of the page's rows.
    /// </summary>
    public Task<RepositoryListPage> ListAsync(RepositoryListRequest request, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var where = new StringBuilder("manifest_count > 0");
            var parameters = new List<(string, object?)>();
            if (request.Filter.Length > 0)
            {
                // Repository names are lowercase (the OCI grammar), so a lowercase filter matches them in both databases.
                where.Append(" AND name LIKE @q ESCAPE '\\'");
                parameters.Add(("@q", "%" + EscapeLike(request.Filter.ToLowerInvariant()) + "%"));
            }
            var total = await CountAsync(connection, where.ToString(), parameters, cancellationToken);
            var start = request.Offset;
            var page = new StringBuilder(where.ToString());
            if (request.Last is { } last)
            {
                // Name order only: the rows before the cursor in the direction of the order are skipped by key range.
                parameters.Add(("@last", last));
                start = await CountAsync(connection, $"{where} AND name {(request.Descending ? ">=" : "<=")} @last", parameters, cancellationToken);
                page.Append(request.Descending ? " AND name < @last" : " AND name > @last");
            }
            var direction = request.Descending ? "DESC" : "ASC";
            var order = request.Sort switch
            {
                RepositorySort.Size => $"size_bytes {direction}, name",
                RepositorySort.Tags => $"tag_count {direction}, name",
                RepositorySort.Pushed => $"last_pushed_at {direction}, name",
                RepositorySort.Pulled => $"COALESCE(last_pulled_at, -1) {direction}, name",
                _ => $"name {direction}",
            };
            var rows = await Sql.ListAsync(connection, null,
                $"SELECT {CatalogRows.Columns} FROM nscr_repositories WHERE {page} ORDER BY {order} LIMIT @n OFFSET @offset;",
                CatalogRows.Map, cancellationToken, [.. parameters, ("@n", request.Count + 1), ("@offset", request.Last is null ? request.Offset : 0)]);
            var shown = rows.Take(request.Count).ToArray();
            var summaries = await SummariesAsync(connection, shown, cancellationToken);
            return new RepositoryListPage(summaries, start, rows.Count > request.Count, total);
        }, cancellationToken);

    /// <summary>One repository as the list shows it, or null when it holds no manifest.</summary>
    public Task<RepositorySummary?> GetAsync(string repository, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var rows = await Sql.ListAsync(connection, null, $"SELECT {CatalogRows.Columns} FROM nscr_repositories WHERE name = @r AND manifest_count > 0;",
                CatalogRows.Map, cancellationToken, ("@r", repository));
            return (await SummariesAsync(connection, rows, cancellationToken)).FirstOrDefault();
        }, cancellationToken);

    /// <summary>
    /// Every committed blob (manifest bodies too) counted once, split into manifests and the rest, and those no manifest
    /// references and that are no manifest: a pass over <c>nscr_blobs</c> with index lookups per row, done again only
    /// when the store changed (see <see cref="KeptPass{T}"/>).
    /// </summary>
    public Task<StoredFigures> StoredAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => await stored.GetAsync(await StoreGenerationAsync(connection, cancellationToken), async () =>
            (await Sql.ListAsync(connection, null, """
                SELECT count(*), CAST(COALESCE(SUM(size), 0) AS bigint),
                       CAST(COALESCE(SUM(manifest), 0) AS bigint), CAST(COALESCE(SUM(manifest * size), 0) AS bigint),
                       CAST(COALESCE(SUM(unreferenced), 0) AS bigint), CAST(COALESCE(SUM(unreferenced * size), 0) AS bigint)
                FROM (SELECT b.size,
                             CASE WHEN EXISTS (SELECT 1 FROM nscr_manifests m WHERE m.digest = b.digest) THEN 1 ELSE 0 END AS manifest,
                             CASE WHEN EXISTS (SELECT 1 FROM nscr_manifest_blobs mb WHERE mb.blob = b.digest)
                                    OR EXISTS (SELECT 1 FROM nscr_manifests m WHERE m.digest = b.digest) THEN 0 ELSE 1 END AS unreferenced
                      FROM nscr_blobs b) s;
                """,
                r => new StoredFigures(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5)),
                cancellationToken))[0]), cancellationToken);

    /// <summary>
    /// The bytes of the digests two or more repositories stand on, each once: a pass over the reference indexes, done
    /// again only when the store changed. (A digest that is a blob in one repository and a manifest in another is not
    /// seen as shared here.)
    /// </summary>
    public Task<long> SharedBytesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => await shared.GetAsync(await StoreGenerationAsync(connection, cancellationToken), async () =>
            Convert.ToInt64(await Sql.ScalarAsync(connection, null, """
                SELECT CAST(COALESCE(SUM(b.size), 0) AS bigint) FROM nscr_blobs b WHERE b.digest IN (
                    SELECT blob FROM nscr_manifest_blobs GROUP BY blob HAVING min(repository) < max(repository)
                    UNION SELECT digest FROM nscr_manifests GROUP BY digest HAVING min(repository) < max(repository));
                """, cancellationToken), CultureInfo.InvariantCulture)), cancellationToken);

    /// <summary>The sizes of those of <paramref name="digests"/> that are committed blobs.</summary>
    public Task<IReadOnlyDictionary<string, long>> BlobSizesAsync(IEnumerable<string> digests, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<string, long>>(async connection =>
        {
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var chunk in digests.Distinct(StringComparer.Ordinal).Chunk(500))
            {
                var parameters = new List<(string, object?)>();
                var rows = await Sql.ListAsync(connection, null, $"SELECT digest, size FROM nscr_blobs WHERE digest IN ({SizeSql.List("d", chunk, parameters)});",
                    r => (r.GetString(0), r.GetInt64(1)), cancellationToken, [.. parameters]);
                foreach (var (digest, size) in rows) sizes[digest] = size;
            }
            return sizes;
        }, cancellationToken);

    /// <summary>
    /// The rows with their unique bytes and digest counts; those of big repositories from <see cref="cache"/> while
    /// they hold.
    /// </summary>
    private async Task<IReadOnlyList<RepositorySummary>> SummariesAsync(DbConnection connection, IReadOnlyList<RepositoryRow> rows, CancellationToken cancellationToken)
    {
        var figures = new Dictionary<string, (int Digests, long Unique)>(StringComparer.Ordinal);
        var big = rows.Where(r => r.Manifests >= UniqueBytesCache.BigRepository).ToArray();
        var generation = big.Length == 0 ? default : await GenerationAsync(connection, cancellationToken);
        foreach (var row in big)
        {
            if (cache.TryGet(row, generation, out var kept)) figures[row.Name] = kept;
        }
        var computed = await UniqueBytesAsync(connection, rows.Where(r => !figures.ContainsKey(r.Name)).Select(r => r.Name).ToArray(), cancellationToken);
        foreach (var row in big.Where(r => !figures.ContainsKey(r.Name))) cache.Add(row, generation, computed.GetValueOrDefault(row.Name));
        foreach (var (name, value) in computed) figures[name] = value;
        return rows.Select(r =>
        {
            var (digests, unique) = figures.GetValueOrDefault(r.Name);
            return new RepositorySummary(r.Name, r.Tags, r.Manifests, r.LastPushedAt, r.LastPulledAt, r.SizeBytes) { UniqueBytes = unique, Digests = digests };
        }).ToArray();
    }

    /// <summary>
    /// Digest counts and unique bytes of <paramref name="names"/>: each digest of theirs looked up in the other
    /// repositories' entries of the (blob, repository) or digest index. A digest that is a blob in one repository
    /// and a manifest in another counts as unique in both (the same bytes only by accident).
    /// </summary>
    private static async Task<Dictionary<string, (int Digests, long Unique)>> UniqueBytesAsync(DbConnection connection, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0) return [];
        var parameters = new List<(string, object?)>();
        var list = SizeSql.List("n", names, parameters);
        var rows = await Sql.ListAsync(connection, null, $"""
            SELECT repository, count(*), CAST(COALESCE(SUM(CASE WHEN shared = 0 THEN size ELSE 0 END), 0) AS bigint) FROM (
                SELECT m.repository, m.size, CASE WHEN {SizeSql.ManifestHeldElsewhere("m.digest", "m.repository")} THEN 1 ELSE 0 END AS shared
                FROM nscr_manifests m WHERE m.repository IN ({list})
                UNION ALL
                SELECT d.repository, b.size, CASE WHEN {SizeSql.BlobHeldElsewhere("d.blob", "d.repository")} THEN 1 ELSE 0 END
                FROM (SELECT DISTINCT repository, blob FROM nscr_manifest_blobs WHERE repository IN ({list})) d
                JOIN nscr_blobs b ON b.digest = d.blob
                WHERE NOT EXISTS (SELECT 1 FROM nscr_manifests x WHERE x.repository = d.repository AND x.digest = d.blob)
            ) held GROUP BY repository;
            """, r => (Name: r.GetString(0), Digests: (int)r.GetInt64(1), Unique: r.GetInt64(2)), cancellationToken, [.. parameters]);
        return rows.ToDictionary(r => r.Name, r => (r.Digests, r.Unique), StringComparer.Ordinal);
    }

    /// <summary>Two plain scans: the blob rows (no lookups) and the repositories' rows.</summary>
    private static async Task<StoreGeneration> StoreGenerationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        (await Sql.ListAsync(connection, null, """
            SELECT b.n, b.bytes, b.latest, r.n, r.manifests, r.latest
            FROM (SELECT count(*) AS n, CAST(COALESCE(SUM(size), 0) AS bigint) AS bytes, COALESCE(MAX(committed_at), 0) AS latest FROM nscr_blobs) b
            CROSS JOIN (SELECT count(*) AS n, COALESCE(SUM(manifest_count), 0) AS manifests, COALESCE(MAX(last_pushed_at), 0) AS latest FROM nscr_repositories) r;
            """,
            r => new StoreGeneration(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), new RegistryGeneration(r.GetInt64(3), r.GetInt64(4), r.GetInt64(5))),
            cancellationToken))[0];

    private static async Task<RegistryGeneration> GenerationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        (await Sql.ListAsync(connection, null,
            "SELECT count(*), COALESCE(SUM(manifest_count), 0), COALESCE(MAX(last_pushed_at), 0) FROM nscr_repositories;",
            r => new RegistryGeneration(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)), cancellationToken))[0];

    private static async Task<int> CountAsync(DbConnection connection, string where, List<(string, object?)> parameters, CancellationToken cancellationToken) =>
        Convert.ToInt32(await Sql.ScalarAsync(connection, null, $"SELECT count(*) FROM nscr_repositories WHERE {where};", cancellationToken, [.. parameters]),
            CultureInfo.InvariantCulture);

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
