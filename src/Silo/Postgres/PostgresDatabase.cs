using Npgsql;

namespace Nscr.Silo.Postgres;

/// <summary>
/// The cluster database: Orleans membership, grain state and reminders in one PostgreSQL database, read and written by
/// Orleans' ADO.NET providers through the queries in <see cref="MembershipQueries"/>, <see cref="GrainStateQueries"/>
/// and <see cref="ReminderQueries"/>.
/// </summary>
public static class PostgresDatabase
{
    /// <summary>ADO.NET invariant the providers resolve to Npgsql.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>
    /// Key of the transaction-scoped advisory lock that serialises migrations: several processes starting at once
    /// wait for each other instead of creating the same tables twice.
    /// </summary>
    private const long MigrationLockKey = 0x6e736372_00000001; // "nscr", 1

    /// <summary>
    /// Brings the schema up to date. Safe to run at every start and from several processes at once: applied migrations
    /// are recorded in <c>nscr_schema_version</c> and skipped; the providers' query rows are rewritten from code.
    /// </summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key);", cancellationToken, ("key", MigrationLockKey));
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS nscr_schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());",
            cancellationToken);
        var current = await CurrentVersionAsync(connection, transaction, cancellationToken);
        foreach (var migration in PostgresSchema.All.Where(m => m.Version > current))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await ExecuteAsync(connection, transaction, "INSERT INTO nscr_schema_version (version) VALUES (@version);",
                cancellationToken, ("version", migration.Version));
        }

        foreach (var (key, text) in MembershipQueries.All.Concat(GrainStateQueries.All).Concat(ReminderQueries.All))
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text) " +
                "ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;",
                cancellationToken, ("key", key), ("text", text));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The newest applied schema version (0 for an empty database).</summary>
    public static async Task<int> SchemaVersionAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await CurrentVersionAsync(connection, null, cancellationToken);
    }

    /// <summary>The version the code expects after <see cref="MigrateAsync"/>.</summary>
    public static int LatestVersion => PostgresSchema.All[^1].Version;

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass('nscr_schema_version') IS NOT NULL;", connection, transaction);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true) return 0;
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM nscr_schema_version;", connection, transaction);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
