using System.Data.Common;
using System.Text;
using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Metadata;

/// <summary>
/// A repository's rows: its manifests with their references, its tags, and its catalog row. Meant for the repository
/// grain, the single writer of its repository: each change is one transaction that touches only the rows it changes
/// (a push inserts one manifest, its references and its tags, and updates the repository's counts), so its cost does
/// not grow with what the repository already holds. Reads are indexed lookups and key-range scans.
/// </summary>
public sealed partial class RepositoryRows(MetadataDatabase database)
{
    private const string ManifestColumns = "digest, media_type, size, artifact_type, subject, annotations, pushed_at, refreshed_at, pulled_at";

    /// <summary>
    /// Commits <paramref name="manifest"/> and points <paramref name="tags"/> at it, in one transaction. A manifest
    /// already here keeps its first push time and gets <paramref name="now"/> as its refresh time; its references are
    /// those of its bytes, which a digest fixes, so they are written once.
    /// </summary>
    public Task<ManifestPut> PutManifestAsync(string repository, ManifestRecord manifest, IReadOnlyList<string> tags, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var at = Sql.Time(now);
            var digest = manifest.Digest.ToString();
            await Sql.ExecuteAsync(connection, transaction,
                "INSERT INTO nscr_repositories (name, created_at, tag_count, manifest_count, last_pushed_at) VALUES (@r, @now, 0, 0, @now) ON CONFLICT (name) DO NOTHING;",
                cancellationToken, ("@r", repository), ("@now", at));
            var pushed = await Sql.ScalarAsync(connection, transaction,
                "SELECT pushed_at FROM nscr_manifests WHERE repository = @r AND digest = @d;", cancellationToken, ("@r", repository), ("@d", digest));
            var isNew = pushed is null;
            long added = 0;
            if (isNew)
            {
                added = await AddedBytesAsync(connection, transaction, repository, manifest, cancellationToken);
                await InsertManifestAsync(connection, transaction, repository, manifest, at, cancellationToken);
            }
            else
            {
                await Sql.ExecuteAsync(connection, transaction, "UPDATE nscr_manifests SET refreshed_at = @now WHERE repository = @r AND digest = @d;",
                    cancellationToken, ("@r", repository), ("@d", digest), ("@now", at));
            }

            var newTags = 0;
            foreach (var tag in tags.Distinct(StringComparer.Ordinal))
            {
                var moved = await Sql.ExecuteAsync(connection, transaction,
                    "UPDATE nscr_tags SET manifest = @d, tagged_at = @now WHERE repository = @r AND name = @t;",
                    cancellationToken, ("@r", repository), ("@t", tag), ("@d", digest), ("@now", at));
                if (moved > 0) continue;
                await Sql.ExecuteAsync(connection, transaction,
                    "INSERT INTO nscr_tags (repository, name, manifest, tagged_at) VALUES (@r, @t, @d, @now);",
                    cancellationToken, ("@r", repository), ("@t", tag), ("@d", digest), ("@now", at));
                newTags++;
            }

            await Sql.ExecuteAsync(connection, transaction,
                "UPDATE nscr_repositories SET tag_count = tag_count + @tags, manifest_count = manifest_count + @manifests, last_pushed_at = @now, " +
                "size_bytes = size_bytes + @added WHERE name = @r;",
                cancellationToken, ("@r", repository), ("@tags", newTags), ("@manifests", isNew ? 1 : 0), ("@now", at), ("@added", added));
            return new ManifestPut(isNew, isNew ? now : Sql.Time(Convert.ToInt64(pushed, System.Globalization.CultureInfo.InvariantCulture)));
        }, cancellationToken);

    /// <summary>Removes one tag (the manifest stays); false when the repository has no such tag.</summary>
    public Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var removed = await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_tags WHERE repository = @r AND name = @t;",
                cancellationToken, ("@r", repository), ("@t", tag));
            if (removed == 0) return false;
            await Sql.ExecuteAsync(connection, transaction, "UPDATE nscr_repositories SET tag_count = tag_count - 1 WHERE name = @r;",
                cancellationToken, ("@r", repository));
            return true;
        }, cancellationToken);

    /// <summary>
    /// Removes a manifest, its references and every tag on it, and the repository's row when it was the last
    /// manifest. Refused (nothing changes) while an index of the repository lists it.
    /// </summary>
    public Task<ManifestDeletion> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var d = digest.ToString();
            var parent = await Sql.ScalarAsync(connection, transaction,
                "SELECT parent FROM nscr_manifest_children WHERE repository = @r AND child = @d LIMIT 1;", cancellationToken, ("@r", repository), ("@d", d));
            if (parent is string index) return new ManifestDeletion(ManifestDeletionOutcome.ListedByIndex, 0, Digest.Parse(index));
            var freed = await FreedBytesAsync(connection, transaction, repository, d, cancellationToken);
            var removed = await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_manifests WHERE repository = @r AND digest = @d;",
                cancellationToken, ("@r", repository), ("@d", d));
            if (removed == 0) return new ManifestDeletion(ManifestDeletionOutcome.Unknown, 0, null);
            var tags = await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_tags WHERE repository = @r AND manifest = @d;",
                cancellationToken, ("@r", repository), ("@d", d));
            await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_manifest_blobs WHERE repository = @r AND manifest = @d;",
                cancellationToken, ("@r", repository), ("@d", d));
            await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_manifest_children WHERE repository = @r AND parent = @d;",
                cancellationToken, ("@r", repository), ("@d", d));
            await Sql.ExecuteAsync(connection, transaction,
                "UPDATE nscr_repositories SET tag_count = tag_count - @tags, manifest_count = manifest_count - 1, size_bytes = size_bytes - @freed WHERE name = @r;",
                cancellationToken, ("@r", repository), ("@tags", tags), ("@freed", freed));
            await Sql.ExecuteAsync(connection, transaction, "DELETE FROM nscr_repositories WHERE name = @r AND manifest_count <= 0;",
                cancellationToken, ("@r", repository));
            return new ManifestDeletion(ManifestDeletionOutcome.Deleted, tags, null);
        }, cancellationToken);

    /// <summary>The manifest <paramref name="digest"/> of the repository with its references, or null.</summary>
    public Task<ManifestRecord?> FindManifestAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => FindManifestAsync(connection, repository, digest.ToString(), cancellationToken), cancellationToken);

    /// <summary>The manifest a tag points to, with its references, or null.</summary>
    public Task<ManifestRecord?> FindTaggedAsync(string repository, string tag, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var digest = await Sql.ScalarAsync(connection, null, "SELECT manifest FROM nscr_tags WHERE repository = @r AND name = @t;",
                cancellationToken, ("@r", repository), ("@t", tag));
            return digest is string d ? await FindManifestAsync(connection, repository, d, cancellationToken) : null;
        }, cancellationToken);

    /// <summary>Up to <paramref name="count"/> tag names after <paramref name="last"/>, in code-point order.</summary>
    public Task<IReadOnlyList<string>> ListTagsAsync(string repository, string? last, int count, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(async connection => await Sql.ListAsync(connection, null,
            "SELECT name FROM nscr_tags WHERE repository = @r AND name > @last ORDER BY name LIMIT @n;",
            r => r.GetString(0), cancellationToken, ("@r", repository), ("@last", last ?? ""), ("@n", count)), cancellationToken);

    /// <summary>The manifests whose subject is <paramref name="subject"/> (optionally of one artifact type), oldest push first.</summary>
    public Task<IReadOnlyList<Descriptor>> ReferrersAsync(string repository, Digest subject, string? artifactType, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Descriptor>>(async connection => await Sql.ListAsync(connection, null,
            "SELECT media_type, digest, size, artifact_type, annotations FROM nscr_manifests WHERE repository = @r AND subject = @s" +
            (artifactType is null ? "" : " AND artifact_type = @type") + " ORDER BY pushed_at, digest;",
            r => new Descriptor(r.GetString(0), Digest.Parse(r.GetString(1)), r.GetInt64(2))
            {
                ArtifactType = Sql.NullableString(r, 3),
                Annotations = Annotations.Read(Sql.NullableString(r, 4)),
            },
            cancellationToken, ("@r", repository), ("@s", subject.ToString()), ("@type", artifactType ?? "")), cancellationToken);

    /// <summary>The repository's catalog row, or null when it holds no manifest.</summary>
    public Task<RepositoryRow?> GetAsync(string repository, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => (await Sql.ListAsync(connection, null,
            $"SELECT {CatalogRows.Columns} FROM nscr_repositories WHERE name = @r;", CatalogRows.Map, cancellationToken, ("@r", repository))).FirstOrDefault(),
            cancellationToken);

    private static async Task InsertManifestAsync(DbConnection connection, DbTransaction transaction, string repository, ManifestRecord manifest, long at, CancellationToken cancellationToken)
    {
        var digest = manifest.Digest.ToString();
        await Sql.ExecuteAsync(connection, transaction,
            $"INSERT INTO nscr_manifests (repository, {ManifestColumns}) VALUES (@r, @d, @type, @size, @artifact, @subject, @annotations, @now, @now, NULL);",
            cancellationToken, ("@r", repository), ("@d", digest), ("@type", manifest.MediaType), ("@size", manifest.Size),
            ("@artifact", manifest.ArtifactType), ("@subject", manifest.Subject?.ToString()), ("@annotations", Annotations.Write(manifest.Annotations)), ("@now", at));
        await InsertReferencesAsync(connection, transaction, "nscr_manifest_blobs (repository, manifest, blob)", repository, digest, manifest.Blobs, cancellationToken);
        await InsertReferencesAsync(connection, transaction, "nscr_manifest_children (repository, parent, child)", repository, digest, manifest.Children, cancellationToken);
    }

    /// <summary>One multi-row INSERT for a manifest's references (a few for an image, one per platform for an index).</summary>
    private static async Task InsertReferencesAsync(DbConnection connection, DbTransaction transaction, string table, string repository, string digest, IReadOnlyList<Digest> targets, CancellationToken cancellationToken)
    {
        var distinct = targets.Select(t => t.ToString()).Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0) return;
        var text = new StringBuilder($"INSERT INTO {table} VALUES ");
        var parameters = new List<(string, object?)> { ("@r", repository), ("@d", digest) };
        for (var i = 0; i < distinct.Length; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append("(@r, @d, @t").Append(i).Append(')');
            parameters.Add(($"@t{i}", distinct[i]));
        }
        await Sql.ExecuteAsync(connection, transaction, text.Append(';').ToString(), cancellationToken, [.. parameters]);
    }

    private static async Task<ManifestRecord?> FindManifestAsync(DbConnection connection, string repository, string digest, CancellationToken cancellationToken)
    {
        var rows = await Sql.ListAsync(connection, null, $"SELECT {ManifestColumns} FROM nscr_manifests WHERE repository = @r AND digest = @d;",
            ReadManifest, cancellationToken, ("@r", repository), ("@d", digest));
        if (rows.Count == 0) return null;
        var blobs = await Sql.ListAsync(connection, null, "SELECT blob FROM nscr_manifest_blobs WHERE repository = @r AND manifest = @d ORDER BY blob;",
            r => Digest.Parse(r.GetString(0)), cancellationToken, ("@r", repository), ("@d", digest));
        var children = await Sql.ListAsync(connection, null, "SELECT child FROM nscr_manifest_children WHERE repository = @r AND parent = @d ORDER BY child;",
            r => Digest.Parse(r.GetString(0)), cancellationToken, ("@r", repository), ("@d", digest));
        return rows[0].Manifest with { Blobs = blobs, Children = children };
    }

    /// <summary>A row of <see cref="ManifestColumns"/>: the manifest without its references, and its last pull.</summary>
    private static (ManifestRecord Manifest, DateTimeOffset? PulledAt) ReadManifest(DbDataReader r)
    {
        var subject = Sql.NullableString(r, 4);
        var manifest = new ManifestRecord(Digest.Parse(r.GetString(0)), r.GetInt64(2), r.GetString(1), [], [],
            subject is null ? null : Digest.Parse(subject), Sql.NullableString(r, 3), Annotations.Read(Sql.NullableString(r, 5)), Sql.Time(r.GetInt64(6)))
        {
            RefreshedAt = Sql.Time(r.GetInt64(7)),
        };
        return (manifest, Sql.NullableTime(r, 8));
    }
}

/// <summary>What a manifest PUT did: whether the manifest is new here, and its first push time.</summary>
public sealed record ManifestPut(bool NewManifest, DateTimeOffset PushedAt);

public enum ManifestDeletionOutcome
{
    Deleted,
    Unknown,
    ListedByIndex,
}

/// <summary>What a manifest delete did: the outcome, the tags that went with it, and the index that refused it.</summary>
public sealed record ManifestDeletion(ManifestDeletionOutcome Outcome, int Tags, Digest? Index);
