using Microsoft.Data.Sqlite;

namespace Nscr.Silo.Sqlite;

/// <summary>
/// The embedded-mode database: one SQLite file under the data dir holding grain state (read and written by
/// Orleans' ADO.NET grain storage through the queries in <see cref="GrainStateQueries"/>) and reminders
/// (<see cref="SqliteReminderTable"/>).
/// </summary>
public static class SqliteDatabase
{
    /// <summary>The grain storage name to use in <c>[PersistentState("...", SqliteDatabase.StorageName)]</c>.</summary>
    public const string StorageName = "nscr";

    public const string FileName = "nscr.db";

    /// <summary>
    /// ADO.NET invariant for SQLite (Orleans' internal AdoNetInvariants.InvariantNameSqlLite), which the
    /// providers resolve to Microsoft.Data.Sqlite.
    /// </summary>
    public const string AdoNetInvariant = "System.Data.SQLite";

    /// <summary>Seconds a statement waits for another connection's write lock before failing.</summary>
    internal const int LockTimeoutSeconds = 30;

    /// <summary>Connection string for <c>&lt;dataDir&gt;/nscr.db</c>; creates the data dir.</summary>
    public static string ConnectionString(string dataDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        var directory = Directory.CreateDirectory(dataDir);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory.FullName, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = LockTimeoutSeconds,
        }.ToString();
    }

    /// <summary>
    /// Brings the schema up to date. Safe to run at every start: applied migrations are recorded in
    /// <c>NscrSchemaVersion</c> and skipped; the provider's query rows are rewritten from code.
    /// </summary>
    public static void Migrate(string connectionString)
    {
        using var connection = new ConfiguredSqliteDataSource(connectionString).Open();
        Execute(connection, null, "PRAGMA journal_mode = WAL;");

        // BEGIN IMMEDIATE: a concurrent starter waits here instead of applying the same migration twice.
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS NscrSchemaVersion (Version INTEGER PRIMARY KEY, AppliedAt TEXT NOT NULL);");
        var current = CurrentVersion(connection, transaction);
        foreach (var migration in SchemaMigrations.All.Where(m => m.Version > current))
        {
            Execute(connection, transaction, migration.Sql);
            Execute(connection, transaction, "INSERT INTO NscrSchemaVersion (Version, AppliedAt) VALUES ($version, $now);",
                ("$version", migration.Version), ("$now", DateTimeOffset.UtcNow.ToString("O")));
        }

        foreach (var (key, text) in GrainStateQueries.All)
        {
            Execute(connection, transaction,
                "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ($key, $text) " +
                "ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;",
                ("$key", key), ("$text", text));
        }

        transaction.Commit();
    }

    private static int CurrentVersion(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(Version), 0) FROM NscrSchemaVersion;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
