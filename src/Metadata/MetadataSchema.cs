namespace Nscr.Metadata;

/// <summary>
/// The metadata tables, one text for both databases. Each entry is a migration of its own (the silo's SQLite and
/// PostgreSQL migration lists apply it under their next version number): append only, never edit an applied one.
/// Keys are the names the grains are keyed by (repository name, digest string), so a grain reaches its rows without
/// a lookup. Times are microseconds since the Unix epoch (UTC) in a 64-bit integer, the same in both databases.
/// There are no foreign keys: each grain deletes its own rows in the transaction that changes them, and a foreign key
/// would make one grain's write depend on another's rows.
/// </summary>
public static class MetadataSchema
{
    /// <summary>Every metadata table with its primary key (for copies between databases, such as `migrate`).</summary>
    public static readonly IReadOnlyList<(string Table, string[] Key)> Tables =
    [
        ("nscr_repositories", ["name"]),
        ("nscr_manifests", ["repository", "digest"]),
        ("nscr_manifest_blobs", ["repository", "manifest", "blob"]),
        ("nscr_manifest_children", ["repository", "parent", "child"]),
        ("nscr_tags", ["repository", "name"]),
        ("nscr_blobs", ["digest"]),
        ("nscr_blob_links", ["digest", "repository"]),
    ];

    /// <summary>The tables of the repository, blob and upload grains.</summary>
    public static string Rows(SqlDialect dialect)
    {
        var bytes = dialect == SqlDialect.Sqlite ? "BLOB" : "bytea";
        // WITHOUT ROWID stores a table in its primary key's b-tree: composite text keys need no second index.
        var clustered = dialect == SqlDialect.Sqlite ? " WITHOUT ROWID" : "";
        // Names and tags sort by code point (tags/list and _catalog are in that order): SQLite's default collation
        // does; PostgreSQL's follows the database's locale unless told.
        var key = dialect == SqlDialect.Sqlite ? "text" : "text COLLATE \"C\"";
        return $"""
            -- A repository has a row while it holds at least one manifest: the catalog is this table. The counts and
            -- times are kept by the repository grain in the transaction that changes them (no count(*) per request).
            CREATE TABLE nscr_repositories (
                name {key} NOT NULL PRIMARY KEY,
                created_at bigint NOT NULL,
                tag_count integer NOT NULL,
                manifest_count integer NOT NULL,
                last_pushed_at bigint NOT NULL,
                last_pulled_at bigint
            ){clustered};

            CREATE TABLE nscr_manifests (
                repository {key} NOT NULL,
                digest {key} NOT NULL,
                media_type text NOT NULL,
                size bigint NOT NULL,
                artifact_type text,
                subject {key},                 -- the digest a referrer names
                config_digest text,
                annotations text,             -- JSON object, kept for referrers only (the referrers API lists them)
                pushed_at bigint NOT NULL,
                refreshed_at bigint NOT NULL, -- the latest push of the same bytes: the GC grace counts from here
                pulled_at bigint,
                body {bytes},                 -- a small manifest's bytes; null when they are in the blob store
                PRIMARY KEY (repository, digest)
            ){clustered};
            CREATE INDEX nscr_manifests_subject ON nscr_manifests (repository, subject) WHERE subject IS NOT NULL;
            CREATE INDEX nscr_manifests_digest ON nscr_manifests (digest);

            -- What each manifest stands on, indexed both ways: by manifest (pull, delete) and by blob (GC, unlink).
            CREATE TABLE nscr_manifest_blobs (
                repository {key} NOT NULL,
                manifest {key} NOT NULL,
                blob {key} NOT NULL,
                PRIMARY KEY (repository, manifest, blob)
            ){clustered};
            CREATE INDEX nscr_manifest_blobs_blob ON nscr_manifest_blobs (blob, repository);

            CREATE TABLE nscr_manifest_children (
                repository {key} NOT NULL,
                parent {key} NOT NULL,
                child {key} NOT NULL,
                PRIMARY KEY (repository, parent, child)
            ){clustered};
            CREATE INDEX nscr_manifest_children_child ON nscr_manifest_children (repository, child);

            -- tags/list?n=&last= is a range scan of this primary key.
            CREATE TABLE nscr_tags (
                repository {key} NOT NULL,
                name {key} NOT NULL,
                manifest {key} NOT NULL,
                tagged_at bigint NOT NULL,
                PRIMARY KEY (repository, name)
            ){clustered};
            CREATE INDEX nscr_tags_manifest ON nscr_tags (repository, manifest);

            -- A committed blob (its bytes are in the blob store under its digest).
            CREATE TABLE nscr_blobs (
                digest {key} NOT NULL PRIMARY KEY,
                size bigint NOT NULL,
                committed_at bigint NOT NULL,
                last_touched_at bigint NOT NULL
            ){clustered};

            -- Where /v2/<name>/blobs/ shows a blob: uploaded or mounted there. Written by the blob grain.
            CREATE TABLE nscr_blob_links (
                digest {key} NOT NULL,
                repository {key} NOT NULL,
                linked_at bigint NOT NULL,
                PRIMARY KEY (digest, repository)
            ){clustered};
            CREATE INDEX nscr_blob_links_repository ON nscr_blob_links (repository);
            """;
    }

    /// <summary>
    /// Each repository's size (what its manifests stand on, each digest once), kept by its grain in the transaction of
    /// every change, so the repository list sorts by size without reading a blob. Existing rows are sized here.
    /// </summary>
    public static string RepositorySizes() => $"""
        ALTER TABLE nscr_repositories ADD COLUMN size_bytes bigint NOT NULL DEFAULT 0;
        UPDATE nscr_repositories SET size_bytes = {SizeSql.SizeOf("nscr_repositories.name")};
        """;
}
