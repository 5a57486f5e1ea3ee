using Microsoft.Data.Sqlite;
using Nscr.Silo.Sqlite;

namespace Nscr.Silo.Migration;

/// <summary>
/// An embedded registry's SQLite database opened for migration under the data dir's lock (<see cref="DataDirLock"/>,
/// held by a running registry); held for the whole migration, it also stops the registry from starting meanwhile.
/// </summary>
internal sealed class SourceDatabase : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly DataDirLock dataDirLock;

    private SourceDatabase(SqliteConnection connection, DataDirLock dataDirLock)
    {
        this.connection = connection;
        this.dataDirLock = dataDirLock;
    }

    public static SourceDatabase OpenExclusive(string dataDir)
    {
        var path = Path.Combine(dataDir, SqliteDatabase.FileName);
        if (!File.Exists(path)) throw new MigrationException($"{path} does not exist: '{dataDir}' is not an embedded registry's data dir.");
        var dataDirLock = DataDirLock.TryAcquire(dataDir) ?? throw Running(dataDir);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            return new SourceDatabase(connection, dataDirLock);
        }
        catch
        {
            connection.Dispose();
            dataDirLock.Dispose();
            throw;
        }
    }

    private static MigrationException Running(string dataDir) =>
        new($"the registry using '{dataDir}' is running: stop it before migrating (its data dir is locked).");

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

    /// <summary>The rows of one metadata table: its column names, then each row's values.</summary>
    public IEnumerable<object?[]> Rows(string table, out string[] columns)
    {
        using (var probe = connection.CreateCommand())
        {
            probe.CommandText = $"SELECT * FROM {table} LIMIT 0;";
            using var schema = probe.ExecuteReader();
            columns = Enumerable.Range(0, schema.FieldCount).Select(schema.GetName).ToArray();
        }
        return ReadRows(table);
    }

    private IEnumerable<object?[]> ReadRows(string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table};";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var values = new object?[reader.FieldCount];
            for (var i = 0; i < values.Length; i++) values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            yield return values;
        }
    }

    public void Dispose()
    {
        connection.Dispose();
        dataDirLock.Dispose();
    }
}

internal sealed record GrainStateRow(string StateName, long N0, long N1, string Extension, int Version, byte[]? Payload);

internal sealed record ReminderRow(string GrainId, string Name, uint GrainHash, DateTime StartAt, TimeSpan Period);

/// <summary>A migration that cannot go on, with a message for the operator.</summary>
public sealed class MigrationException(string message) : Exception(message);
