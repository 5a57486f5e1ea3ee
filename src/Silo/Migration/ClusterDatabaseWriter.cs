using Npgsql;
using NpgsqlTypes;
using Nscr.Metadata;

namespace Nscr.Silo.Migration;

/// <summary>
/// Writes an embedded registry's grain state, reminders and metadata rows into the cluster database in one transaction: a migration
/// cut short leaves nothing half-copied, and running it again overwrites the same rows with the source's values.
/// </summary>
internal static class ClusterDatabaseWriter
{
    private const int BatchSize = 500;

    public static async Task<(int States, int Reminders)> WriteAsync(
        string connectionString, string serviceId, SourceDatabase source, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var states = await WriteBatchesAsync(connection, transaction, source.GrainStates(), row => StateCommand(serviceId, row), cancellationToken);
        var reminders = await WriteBatchesAsync(connection, transaction, source.Reminders(), row => ReminderCommand(serviceId, row), cancellationToken);
        foreach (var (table, key) in MetadataSchema.Tables)
        {
            var rows = source.Rows(table, out var columns);
            var upsert = Upsert(table, key, columns);
            await WriteBatchesAsync(connection, transaction, rows, row => RowCommand(upsert, row), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return (states, reminders);
    }

    private static async Task<int> WriteBatchesAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<T> rows, Func<T, NpgsqlBatchCommand> command,
        CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var chunk in rows.Chunk(BatchSize))
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var row in chunk) batch.BatchCommands.Add(command(row));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            count += chunk.Length;
        }
        return count;
    }

    private static NpgsqlBatchCommand StateCommand(string serviceId, GrainStateRow row)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO nscr_grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension, version, payload)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension)
            DO UPDATE SET version = excluded.version, payload = excluded.payload;
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = row.StateName });
        command.Parameters.Add(new NpgsqlParameter { Value = row.N0 });
        command.Parameters.Add(new NpgsqlParameter { Value = row.N1 });
        command.Parameters.Add(new NpgsqlParameter { Value = row.Extension });
        command.Parameters.Add(new NpgsqlParameter { Value = row.Version });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)row.Payload ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        return command;
    }

    /// <summary>An insert that overwrites the row with the same key, so a second run leaves the source's values.</summary>
    private static string Upsert(string table, string[] key, string[] columns)
    {
        var values = string.Join(", ", columns.Select((_, i) => $"${i + 1}"));
        var others = columns.Except(key).Select(c => $"{c} = excluded.{c}").ToArray();
        var conflict = others.Length == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", others);
        return $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({values}) ON CONFLICT ({string.Join(", ", key)}) {conflict};";
    }

    private static NpgsqlBatchCommand RowCommand(string upsert, object?[] row)
    {
        var command = new NpgsqlBatchCommand(upsert);
        foreach (var value in row)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value },
                byte[] bytes => new NpgsqlParameter { Value = bytes, NpgsqlDbType = NpgsqlDbType.Bytea },
                _ => new NpgsqlParameter { Value = value },
            });
        }
        return command;
    }

    private static NpgsqlBatchCommand ReminderCommand(string serviceId, ReminderRow row)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO nscr_reminders (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms, version)
            VALUES ($1, $2, $3, $4, $5, $6, CAST(nextval('nscr_reminder_version') % 2147483647 AS integer))
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE SET
                grain_hash = excluded.grain_hash, start_time = excluded.start_time, period_ms = excluded.period_ms,
                version = excluded.version;
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = row.GrainId });
        command.Parameters.Add(new NpgsqlParameter { Value = row.Name });
        // The provider stores and compares the uniform hash as a signed int.
        command.Parameters.Add(new NpgsqlParameter { Value = unchecked((int)row.GrainHash) });
        command.Parameters.Add(new NpgsqlParameter { Value = row.StartAt });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)row.Period.TotalMilliseconds });
        return command;
    }
}
