using System.Data.Common;
using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Metadata;

/// <summary>The repository's rows taken as a whole: listing, loading, collecting, dropping and importing them.</summary>
public sealed partial class RepositoryRows
{
    /// <summary>
    /// Gives the repository its catalog row (with no manifest yet) unless it has one; true when it was added now. A
    /// first push does this before its references touch the blobs, so a GC cycle that lists the catalog afterwards
    /// marks the repository.
    /// </summary>
    public Task<bool> EnsureListedAsync(string repository, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO nscr_repositories (name, created_at, tag_count, manifest_count, last_pushed_at) VALUES (@r, @now, 0, 0, @now) ON CONFLICT (name) DO NOTHING;",
            cancellationToken, ("@r", repository), ("@now", Sql.Time(now))) > 0, cancellationToken);

    /// <summary>Whether the catalog lists the repository (it has a row, with or without manifests).</summary>
    public Task<bool> IsListedAsync(string repository, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => await Sql.ScalarAsync(connection, null, "SELECT 1 FROM nscr_repositories WHERE name = @r;",
            cancellationToken, ("@r", repository)) is not null, cancellationToken);

    /// <summary>Drops the catalog row of a repository that holds no manifest (after a first push failed).</summary>
    public Task UnlistIfEmptyAsync(string repository, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "DELETE FROM nscr_repositories WHERE name = @r AND manifest_count <= 0;", cancellationToken, ("@r", repository)), cancellationToken);

    /// <summary>Which of <paramref name="digests"/> are not manifests of the repository.</summary>
    public Task<IReadOnlyList<Digest>> MissingManifestsAsync(string repository, IReadOnlyList<Digest> digests, CancellationToken cancellationToken) =>
        digests.Count == 0 ? Task.FromResult<IReadOnlyList<Digest>>([]) :
        database.ReadAsync<IReadOnlyList<Digest>>(async connection =>
        {
            var missing = new List<Digest>();
            foreach (var digest in digests.Distinct())
            {
                if (await Sql.ScalarAsync(connection, null, "SELECT 1 FROM nscr_manifests WHERE repository = @r AND digest = @d;",
                        cancellationToken, ("@r", repository), ("@d", digest.ToString())) is null) missing.Add(digest);
            }
            return missing;
        }, cancellationToken);

    /// <summary>A manifest of the repository that stands on <paramref name="blob"/>, or null.</summary>
    public Task<Digest?> BlobUserAsync(string repository, Digest blob, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => await Sql.ScalarAsync(connection, null,
            "SELECT manifest FROM nscr_manifest_blobs WHERE blob = @b AND repository = @r LIMIT 1;",
            cancellationToken, ("@b", blob.ToString()), ("@r", repository)) is string d ? Digest.Parse(d) : (Digest?)null, cancellationToken);

    /// <summary>The repository's manifests and every blob they stand on (what GC must keep for it, and its unlinks).</summary>
    public Task<IReadOnlyList<Digest>> ReferencedDigestsAsync(string repository, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Digest>>(async connection => await Sql.ListAsync(connection, null,
            "SELECT digest FROM nscr_manifests WHERE repository = @r UNION SELECT blob FROM nscr_manifest_blobs WHERE repository = @r;",
            r => Digest.Parse(r.GetString(0)), cancellationToken, ("@r", repository)), cancellationToken);

    /// <summary>Writes the pull times of some manifests (and the repository's latest), in one transaction.</summary>
    public Task RecordPullsAsync(string repository, IReadOnlyDictionary<Digest, DateTimeOffset> pulls, CancellationToken cancellationToken) =>
        pulls.Count == 0 ? Task.CompletedTask :
        database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var (digest, at) in pulls)
            {
                await Sql.ExecuteAsync(connection, transaction, "UPDATE nscr_manifests SET pulled_at = @at WHERE repository = @r AND digest = @d;",
                    cancellationToken, ("@r", repository), ("@d", digest.ToString()), ("@at", Sql.Time(at)));
            }
            await Sql.ExecuteAsync(connection, transaction,
                "UPDATE nscr_repositories SET last_pulled_at = @at WHERE name = @r AND (last_pulled_at IS NULL OR last_pulled_at < @at);",
                cancellationToken, ("@r", repository), ("@at", Sql.Time(pulls.Values.Max())));
            return 0;
        }, cancellationToken);

    /// <summary>Every tag and manifest of the repository with its references and times.</summary>
    public Task<RepositoryContents> LoadAsync(string repository, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var contents = new RepositoryContents();
            var blobs = await ReferencesAsync(connection, "SELECT manifest, blob FROM nscr_manifest_blobs WHERE repository = @r ORDER BY manifest, blob;", repository, cancellationToken);
            var children = await ReferencesAsync(connection, "SELECT parent, child FROM nscr_manifest_children WHERE repository = @r ORDER BY parent, child;", repository, cancellationToken);
            var rows = await Sql.ListAsync(connection, null, $"SELECT {ManifestColumns} FROM nscr_manifests WHERE repository = @r;", ReadManifest, cancellationToken, ("@r", repository));
            foreach (var (manifest, pulledAt) in rows)
            {
                contents.Manifests[manifest.Digest] = manifest with
                {
                    Blobs = blobs.TryGetValue(manifest.Digest, out var b) ? b : [],
                    Children = children.TryGetValue(manifest.Digest, out var c) ? c : [],
                };
                if (pulledAt is { } at) contents.PulledAt[manifest.Digest] = at;
            }
            var tags = await Sql.ListAsync(connection, null, "SELECT name, manifest, tagged_at FROM nscr_tags WHERE repository = @r;",
                r => (Name: r.GetString(0), Digest: Digest.Parse(r.GetString(1)), At: Sql.Time(r.GetInt64(2))), cancellationToken, ("@r", repository));
            foreach (var tag in tags)
            {
                contents.Tags[tag.Name] = tag.Digest;
                contents.TaggedAt[tag.Name] = tag.At;
            }
            return contents;
        }, cancellationToken);

    /// <summary>
    /// Removes tags and manifests (with their references and the tags on them) in one transaction, as a GC cycle
    /// decided; the repository's row goes when no manifest is left.
    /// </summary>
    public Task RemoveAsync(string repository, IReadOnlyCollection<string> tags, IReadOnlyCollection<Digest> manifests, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var tag in tags)
            {
                await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_tags WHERE repository = @r AND name = @t;", cancellationToken, ("@r", repository), ("@t", tag));
            }
            foreach (var manifest in manifests.Select(m => m.ToString()))
            {
                await DeleteManifestRowsAsync(connection, transaction, repository, manifest, cancellationToken);
            }
            await Sql.ExecuteAsync(connection, transaction,
                "UPDATE nscr_repositories SET tag_count = (SELECT count(*) FROM nscr_tags WHERE repository = @r), " +
                $"manifest_count = (SELECT count(*) FROM nscr_manifests WHERE repository = @r), size_bytes = {SizeSql.SizeOf("@r")} WHERE name = @r;",
                cancellationToken, ("@r", repository));
            await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_repositories WHERE name = @r AND manifest_count <= 0;", cancellationToken, ("@r", repository));
            return 0;
        }, cancellationToken);

    /// <summary>Deletes every row of the repository, its catalog row last, in one transaction.</summary>
    public Task DropAsync(string repository, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var table in new[] { "nscr_tags", "nscr_manifest_blobs", "nscr_manifest_children", "nscr_manifests" })
            {
                await Sql.ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE repository = @r;", cancellationToken, ("@r", repository));
            }
            await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_repositories WHERE name = @r;", cancellationToken, ("@r", repository));
            return 0;
        }, cancellationToken);

    /// <summary>
    /// Writes a whole repository at once, replacing any rows it has: the upgrade of a repository kept in the old
    /// serialized state. Done in one transaction, so a crash leaves the old state the only copy, to be upgraded again.
    /// </summary>
    public Task ImportAsync(string repository, RepositoryContents contents, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var table in new[] { "nscr_tags", "nscr_manifest_blobs", "nscr_manifest_children", "nscr_manifests", "nscr_repositories" })
            {
                await Sql.ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE {(table == "nscr_repositories" ? "name" : "repository")} = @r;",
                    cancellationToken, ("@r", repository));
            }
            if (contents.Manifests.Count == 0) return 0;
            var lastPush = contents.Manifests.Values.Select(m => m.RefreshedAt > m.PushedAt ? m.RefreshedAt : m.PushedAt).Concat(contents.TaggedAt.Values).Max();
            await Sql.ExecuteAsync(connection, transaction,
                "INSERT INTO nscr_repositories (name, created_at, tag_count, manifest_count, last_pushed_at, last_pulled_at) VALUES (@r, @created, @tags, @manifests, @pushed, @pulled);",
                cancellationToken, ("@r", repository), ("@created", Sql.Time(createdAt)), ("@tags", contents.Tags.Count), ("@manifests", contents.Manifests.Count),
                ("@pushed", Sql.Time(lastPush)), ("@pulled", contents.PulledAt.Count == 0 ? null : Sql.Time(contents.PulledAt.Values.Max())));
            foreach (var manifest in contents.Manifests.Values)
            {
                await InsertManifestAsync(connection, transaction, repository, manifest, Sql.Time(manifest.PushedAt), cancellationToken);
                await Sql.ExecuteAsync(connection, transaction, "UPDATE nscr_manifests SET refreshed_at = @refreshed, pulled_at = @pulled WHERE repository = @r AND digest = @d;",
                    cancellationToken, ("@r", repository), ("@d", manifest.Digest.ToString()), ("@refreshed", Sql.Time(manifest.RefreshedAt > manifest.PushedAt ? manifest.RefreshedAt : manifest.PushedAt)),
                    ("@pulled", contents.PulledAt.TryGetValue(manifest.Digest, out var pulled) ? Sql.Time(pulled) : null));
            }
            foreach (var (tag, digest) in contents.Tags)
            {
                var at = contents.TaggedAt.TryGetValue(tag, out var t) ? t : contents.Manifests.GetValueOrDefault(digest)?.PushedAt ?? createdAt;
                await Sql.ExecuteAsync(connection, transaction, "INSERT INTO nscr_tags (repository, name, manifest, tagged_at) VALUES (@r, @t, @d, @at);",
                    cancellationToken, ("@r", repository), ("@t", tag), ("@d", digest.ToString()), ("@at", Sql.Time(at)));
            }
            await Sql.ExecuteAsync(connection, transaction, $"UPDATE nscr_repositories SET size_bytes = {SizeSql.SizeOf("@r")} WHERE name = @r;",
                cancellationToken, ("@r", repository));
            return 0;
        }, cancellationToken);

    private static async Task DeleteManifestRowsAsync(DbConnection connection, DbTransaction transaction, string repository, string digest, CancellationToken cancellationToken)
    {
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_manifests WHERE repository = @r AND digest = @d;", cancellationToken, ("@r", repository), ("@d", digest));
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_tags WHERE repository = @r AND manifest = @d;", cancellationToken, ("@r", repository), ("@d", digest));
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_manifest_blobs WHERE repository = @r AND manifest = @d;", cancellationToken, ("@r", repository), ("@d", digest));
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_manifest_children WHERE repository = @r AND parent = @d;", cancellationToken, ("@r", repository), ("@d", digest));
    }

    private static async Task<Dictionary<Digest, IReadOnlyList<Digest>>> ReferencesAsync(DbConnection connection, string text, string repository, CancellationToken cancellationToken)
    {
        var pairs = await Sql.ListAsync(connection, null, text, r => (From: Digest.Parse(r.GetString(0)), To: Digest.Parse(r.GetString(1))), cancellationToken, ("@r", repository));
        return pairs.GroupBy(p => p.From).ToDictionary(g => g.Key, g => (IReadOnlyList<Digest>)g.Select(p => p.To).ToArray());
    }
}
