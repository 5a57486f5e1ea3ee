using Nscr.Metadata;

namespace Nscr.Silo.Sqlite;

/// <summary>
/// Schema changes in order. Append only: an applied migration is never edited, a change is a new entry.
/// </summary>
internal static class SchemaMigrations
{
    internal sealed record Migration(int Version, string Sql);

    internal static IReadOnlyList<Migration> All { get; } =
    [
        new(1, """
            -- Read by Orleans' ADO.NET providers at start: QueryKey -> SQL text (rows written by SqliteDatabase).
            CREATE TABLE OrleansQuery (
                QueryKey TEXT NOT NULL PRIMARY KEY,
                QueryText TEXT NOT NULL
            );

            -- One row per (state name, grain key). Orleans passes the state name, not the grain type, and the
            -- key without its type: state names must therefore be unique across grain classes.
            -- Not scoped by ServiceId: the data dir is the service.
            CREATE TABLE GrainState (
                StateName TEXT NOT NULL,
                GrainIdN0 INTEGER NOT NULL,
                GrainIdN1 INTEGER NOT NULL,
                GrainIdExtension TEXT NOT NULL, -- the string key or key extension; '' when none
                Version INTEGER NOT NULL,       -- the ETag; bumped by every write
                Payload BLOB,
                UNIQUE (StateName, GrainIdN0, GrainIdN1, GrainIdExtension)
            );

            CREATE TABLE Reminders (
                GrainId TEXT NOT NULL,          -- GrainId.ToString(), parsed back with GrainId.Parse
                ReminderName TEXT NOT NULL,
                GrainHash INTEGER NOT NULL,     -- GrainId.GetUniformHashCode(), 0..2^32-1
                StartAtTicks INTEGER NOT NULL,  -- UTC
                PeriodTicks INTEGER NOT NULL,
                ETag TEXT NOT NULL,
                PRIMARY KEY (GrainId, ReminderName)
            );
            CREATE INDEX IX_Reminders_GrainHash ON Reminders (GrainHash);
            """),
        // The registry's metadata as rows (see Nscr.Metadata); the grains move onto them from their serialized state.
        new(2, MetadataSchema.Rows(SqlDialect.Sqlite)),
        // Repository sizes kept by the repository grains (the admin list sorts by them).
        new(3, MetadataSchema.RepositorySizes()),
    ];
}
