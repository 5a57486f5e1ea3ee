using System.Data.Common;
using Nscr.Grains;

namespace Nscr.Metadata;

/// <summary>The catalog: the repositories that hold a manifest, read by key range from their rows.</summary>
public sealed class CatalogRows(MetadataDatabase database)
{
    internal const string Columns = "name, created_at, tag_count, manifest_count, last_pushed_at, last_pulled_at, size_bytes";

    /// <summary>Up to <paramref name="count"/> repository names after <paramref name="last"/>, in code-point order.</summary>
    public Task<IReadOnlyList<string>> ListNamesAsync(string? last, int count, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(async connection => await Sql.ListAsync(connection, null,
            "SELECT name FROM nscr_repositories WHERE name > @last ORDER BY name LIMIT @n;",
            r => r.GetString(0), cancellationToken, ("@last", last ?? ""), ("@n", count)), cancellationToken);

    /// <summary>Up to <paramref name="count"/> repositories after <paramref name="last"/> with their counts and times.</summary>
    public Task<IReadOnlyList<RepositoryRow>> ListAsync(string? last, int count, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<RepositoryRow>>(async connection => await Sql.ListAsync(connection, null,
            $"SELECT {Columns} FROM nscr_repositories WHERE name > @last ORDER BY name LIMIT @n;",
            Map, cancellationToken, ("@last", last ?? ""), ("@n", count)), cancellationToken);

    /// <summary>Repository, tag and manifest counts of the whole registry (repositories holding a manifest), from the counts the writers keep.</summary>
    public Task<RegistryCounts> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => (await Sql.ListAsync(connection, null,
            "SELECT count(*), COALESCE(SUM(tag_count), 0), COALESCE(SUM(manifest_count), 0) FROM nscr_repositories WHERE manifest_count > 0;",
            r => new RegistryCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)), cancellationToken))[0], cancellationToken);

    internal static RepositoryRow Map(DbDataReader r) => new(
        r.GetString(0), Sql.Time(r.GetInt64(1)), r.GetInt32(2), r.GetInt32(3), Sql.Time(r.GetInt64(4)), Sql.NullableTime(r, 5), r.GetInt64(6));
}

/// <summary>A repository's catalog row: what the admin API lists without visiting the repository.</summary>
public sealed record RepositoryRow(string Name, DateTimeOffset CreatedAt, int Tags, int Manifests, DateTimeOffset LastPushedAt, DateTimeOffset? LastPulledAt, long SizeBytes);
