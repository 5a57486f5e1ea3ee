using Nscr.Metadata;

namespace Nscr.Silo.Postgres;

/// <summary>
/// The cluster database's schema changes in order. Append only: an applied migration is never edited, a change is a
/// new entry. Identifiers are lower-case snake_case (PostgreSQL folds unquoted names); the queries alias their result
/// columns to the names Orleans' providers read.
/// </summary>
internal static class PostgresSchema
{
    internal sealed record Migration(int Version, string Sql);

    internal static IReadOnlyList<Migration> All { get; } =
    [
        new(1, """
            -- Read by Orleans' ADO.NET providers at start: query key -> SQL text (rows rewritten by every migration run).
            CREATE TABLE OrleansQuery (
                QueryKey varchar(64) NOT NULL PRIMARY KEY,
                QueryText text NOT NULL
            );

            -- Membership: one version row per cluster (its version is the table's ETag) and one row per silo incarnation.
            CREATE TABLE nscr_membership_version (
                deployment_id text NOT NULL PRIMARY KEY,
                changed_at timestamptz NOT NULL DEFAULT now(),
                version integer NOT NULL DEFAULT 0
            );

            CREATE TABLE nscr_membership (
                deployment_id text NOT NULL REFERENCES nscr_membership_version (deployment_id) ON DELETE CASCADE,
                address text NOT NULL,
                port integer NOT NULL,
                generation integer NOT NULL,
                silo_name text NOT NULL,
                host_name text NOT NULL,
                status integer NOT NULL,          -- Orleans SiloStatus (3 active, 6 dead)
                proxy_port integer NOT NULL,      -- the silo's client gateway port, 0 when it has none
                suspect_times text,               -- "silo,time|silo,time" as the provider formats it
                start_time timestamptz NOT NULL,
                i_am_alive_time timestamptz NOT NULL,
                PRIMARY KEY (deployment_id, address, port, generation)
            );

            -- Grain state, one row per (service, state name, grain key). Orleans passes the state name, not the grain
            -- type: state names must be unique across grain classes (as in the embedded SQLite table).
            CREATE TABLE nscr_grain_state (
                service_id text NOT NULL,
                state_name text NOT NULL,
                grain_id_n0 bigint NOT NULL,
                grain_id_n1 bigint NOT NULL,
                grain_id_extension text NOT NULL, -- the string key or key extension; '' when none
                version integer NOT NULL,         -- the ETag; bumped by every write
                payload bytea,
                PRIMARY KEY (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension)
            );

            -- Reminders. grain_hash is GrainId.GetUniformHashCode() cast to a signed int, as the provider binds it and
            -- compares ranges. Versions come from a sequence so a row removed and created again never gets an ETag
            -- a stale holder still has.
            CREATE SEQUENCE nscr_reminder_version;
            CREATE TABLE nscr_reminders (
                service_id text NOT NULL,
                grain_id text NOT NULL,
                reminder_name text NOT NULL,
                grain_hash integer NOT NULL,
                start_time timestamptz NOT NULL,
                period_ms bigint NOT NULL,
                version integer NOT NULL,
                PRIMARY KEY (service_id, grain_id, reminder_name)
            );
            CREATE INDEX ix_nscr_reminders_hash ON nscr_reminders (service_id, grain_hash);
            """),
        // The registry's metadata as rows (see Nscr.Metadata); the grains move onto them from their serialized state.
        new(2, MetadataSchema.Rows(SqlDialect.Postgres)),
        // Repository sizes kept by the repository grains (the admin list sorts by them).
        new(3, MetadataSchema.RepositorySizes()),
    ];
}
