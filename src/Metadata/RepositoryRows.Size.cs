using System.Data.Common;
using System.Globalization;
using Nscr.Grains;

namespace Nscr.Metadata;

/// <summary>
/// The repository's <c>size_bytes</c> (see <see cref="SizeSql.SizeOf"/>), adjusted by each change in its own
/// transaction: a push adds the bytes of the digests the repository did not stand on yet, a manifest delete subtracts
/// those nothing else of it stands on. Both read a few index entries per reference, whatever the repository holds.
/// </summary>
public sealed partial class RepositoryRows
{
    /// <summary>
    /// Sizes every repository again from its rows, in one statement: once, after the upgrade of the old blob states
    /// wrote the blob sizes the repositories' sizes are made of (never on a request).
    /// </summary>
    public Task ResizeAllAsync(CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            $"UPDATE nscr_repositories SET size_bytes = {SizeSql.SizeOf("nscr_repositories.name")};", cancellationToken), cancellationToken);

    /// <summary>What committing the new <paramref name="manifest"/> adds; read before its rows are written.</summary>
    private static async Task<long> AddedBytesAsync(DbConnection connection, DbTransaction transaction, string repository, ManifestRecord manifest, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, object?)> { ("@r", repository), ("@d", manifest.Digest.ToString()), ("@size", manifest.Size) };
        var blobs = manifest.Blobs.Select(b => b.ToString()).Distinct(StringComparer.Ordinal).ToArray();
        // A digest already here as a blob stays counted once, as a manifest now (same bytes).
        var text = "SELECT CASE WHEN EXISTS (SELECT 1 FROM nscr_manifest_blobs WHERE blob = @d AND repository = @r) THEN 0 ELSE @size END";
        if (blobs.Length > 0)
        {
            text += $"""
                 + (SELECT COALESCE(SUM(b.size), 0) FROM nscr_blobs b WHERE b.digest IN ({SizeSql.List("b", blobs, parameters)})
                    AND NOT EXISTS (SELECT 1 FROM nscr_manifest_blobs mb WHERE mb.blob = b.digest AND mb.repository = @r)
                    AND NOT EXISTS (SELECT 1 FROM nscr_manifests m WHERE m.repository = @r AND m.digest = b.digest))
                """;
        }
        return Convert.ToInt64(await Sql.ScalarAsync(connection, transaction, text + ";", cancellationToken, [.. parameters]), CultureInfo.InvariantCulture);
    }

    /// <summary>What deleting manifest <paramref name="digest"/> gives back; read before its rows go.</summary>
    private static async Task<long> FreedBytesAsync(DbConnection connection, DbTransaction transaction, string repository, string digest, CancellationToken cancellationToken) =>
        Convert.ToInt64(await Sql.ScalarAsync(connection, transaction, """
            SELECT (SELECT COALESCE(SUM(m.size), 0) FROM nscr_manifests m WHERE m.repository = @r AND m.digest = @d
                      AND NOT EXISTS (SELECT 1 FROM nscr_manifest_blobs o WHERE o.blob = @d AND o.repository = @r))
                 + (SELECT COALESCE(SUM(b.size), 0) FROM nscr_manifest_blobs mb JOIN nscr_blobs b ON b.digest = mb.blob
                    WHERE mb.repository = @r AND mb.manifest = @d
                      AND NOT EXISTS (SELECT 1 FROM nscr_manifest_blobs o WHERE o.blob = mb.blob AND o.repository = @r AND o.manifest <> @d)
                      AND NOT EXISTS (SELECT 1 FROM nscr_manifests m WHERE m.repository = @r AND m.digest = mb.blob));
            """, cancellationToken, ("@r", repository), ("@d", digest)), CultureInfo.InvariantCulture);
}
