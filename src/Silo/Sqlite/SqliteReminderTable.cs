using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans;
using Orleans.Runtime;

namespace Nscr.Silo.Sqlite;

/// <summary>
/// Durable reminders in the embedded database (Orleans has no SQLite reminder provider). ETags are random,
/// so a stale ETag never matches a row that was removed and created again.
/// </summary>
public sealed class SqliteReminderTable(string connectionString) : IReminderTable
{
    private readonly ConfiguredSqliteDataSource dataSource = new(connectionString);
    private const string Columns = "GrainId, ReminderName, StartAtTicks, PeriodTicks, ETag";

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM Reminders WHERE GrainId = $grainId;", cancellationToken,
            ("$grainId", grainId.ToString()));

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    /// <summary>Rows whose grain hash lies in (begin, end], wrapping around the ring when begin &gt;= end.</summary>
    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken)
    {
        var range = begin < end ? "GrainHash > $begin AND GrainHash <= $end" : "GrainHash > $begin OR GrainHash <= $end";
        return QueryAsync($"SELECT {Columns} FROM Reminders WHERE {range};", cancellationToken,
            ("$begin", (long)begin), ("$end", (long)end));
    }

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        ReadRow(grainId, reminderName, CancellationToken.None);

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            $"SELECT {Columns} FROM Reminders WHERE GrainId = $grainId AND ReminderName = $name;", cancellationToken,
            ("$grainId", grainId.ToString()), ("$name", reminderName));
        return rows.Reminders.SingleOrDefault();
    }

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    public async Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        var eTag = Guid.NewGuid().ToString("N");
        var startAt = entry.StartAt.Kind == DateTimeKind.Local ? entry.StartAt.ToUniversalTime() : entry.StartAt;
        await ExecuteAsync("""
            INSERT INTO Reminders (GrainId, ReminderName, GrainHash, StartAtTicks, PeriodTicks, ETag)
            VALUES ($grainId, $name, $hash, $startAt, $period, $eTag)
            ON CONFLICT (GrainId, ReminderName) DO UPDATE SET
                StartAtTicks = excluded.StartAtTicks, PeriodTicks = excluded.PeriodTicks, ETag = excluded.ETag;
            """, cancellationToken,
            ("$grainId", entry.GrainId.ToString()), ("$name", entry.ReminderName),
            ("$hash", (long)entry.GrainId.GetUniformHashCode()), ("$startAt", startAt.Ticks),
            ("$period", entry.Period.Ticks), ("$eTag", eTag));
        return eTag;
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        var removed = await ExecuteAsync(
            "DELETE FROM Reminders WHERE GrainId = $grainId AND ReminderName = $name AND ETag = $eTag;", cancellationToken,
            ("$grainId", grainId.ToString()), ("$name", reminderName), ("$eTag", eTag));
        return removed == 1;
    }

    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    public Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM Reminders;", cancellationToken);

    private async Task<int> ExecuteAsync(
        string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = dataSource.Open();
        await using var command = CreateCommand(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<ReminderTableData> QueryAsync(
        string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = dataSource.Open();
        await using var command = CreateCommand(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetString(4),
            });
        }

        return new ReminderTableData(entries);
    }

    private static SqliteCommand CreateCommand(
        SqliteConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
