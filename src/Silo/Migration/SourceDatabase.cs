using Microsoft.Data.Sqlite;
using Nscr.Silo.Sqlite;

namespace Nscr.Silo.Migration;

/// <summary>
/// An embedded registry's SQLite database opened for migration with an exclusive lock: a registry that is running
/// keeps connections open (and so a shared lock), and the lock refuses it; held for the whole migration, it also
/// stops the registry from starting meanwhile.
/// </summary>
internal sealed class SourceDatabase : IDisposable
{
    private readonly SqliteConnection connection;

    private SourceDatabase(SqliteConnection connection)
    {
        this.connection = connection;
    }

    public static SourceDatabase OpenExclusive(string dataDir)
    {
        var path = Path.Combine(dataDir, SqliteDatabase.FileName);
        if (!File.Exists(path)) throw new MigrationException($"{path} does not exist: '{dataDir}' is not an embedded registry's data dir.");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE;");
            // The first write takes the exclusive lock (and keeps it: locking_mode EXCLUSIVE) or fails at once.
            Execute(connection, "BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS NscrMigrationLock (Id INTEGER); DROP TABLE NscrMigrationLock; COMMIT;");
            return new SourceDatabase(connection);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            connection.Dispose();
            throw new MigrationException($"the registry using '{dataDir}' is running: stop it before migrating (its database is locked).");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public IEnumerable<GrainStateRow> GrainStates()
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT StateName, GrainIdN0, GrainIdN1, GrainIdExtension, Version, Payload FROM GrainState;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new GrainStateRow(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3),
                (int)reader.GetInt64(4), reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5));
        }
    }

    public IEnumerable<ReminderRow> Reminders()
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT GrainId, ReminderName, GrainHash, StartAtTicks, PeriodTicks FROM Reminders;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new ReminderRow(reader.GetString(0), reader.GetString(1), (uint)reader.GetInt64(2),
                new DateTime(reader.GetInt64(3), DateTimeKind.Utc), TimeSpan.FromTicks(reader.GetInt64(4)));
        }
    }

    public void Dispose() => connection.Dispose();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

internal sealed record GrainStateRow(string StateName, long N0, long N1, string Extension, int Version, byte[]? Payload);

internal sealed record ReminderRow(string GrainId, string Name, uint GrainHash, DateTime StartAt, TimeSpan Period);

/// <summary>A migration that cannot go on, with a message for the operator.</summary>
public sealed class MigrationException(string message) : Exception(message);
