using Microsoft.Data.Sqlite;
using Nscr.Silo.Sqlite;

namespace Nscr.Silo.Tests.Sqlite;

public sealed class MigrationTests : IDisposable
{
    private readonly TempDataDir dataDir = new();

    public void Dispose() => dataDir.Dispose();

    [Fact]
    public void ConnectionString_creates_the_data_dir_and_points_at_nscr_db()
    {
        var nested = Path.Combine(dataDir.Path, "a", "b");

        var builder = new SqliteConnectionStringBuilder(SqliteDatabase.ConnectionString(nested));

        Assert.True(Directory.Exists(nested));
        Assert.Equal(Path.Combine(nested, "nscr.db"), builder.DataSource);
    }

    [Fact]
    public void Migrate_is_idempotent_across_reopen_and_keeps_data()
    {
        var connectionString = SqliteDatabase.ConnectionString(dataDir.Path);
        SqliteDatabase.Migrate(connectionString);
        Scalar(connectionString, "INSERT INTO GrainState (StateName, GrainIdN0, GrainIdN1, GrainIdExtension, Version, Payload) " +
            "VALUES ('s', 0, 0, 'k', 7, x'01');");

        SqliteDatabase.Migrate(connectionString);
        SqliteConnection.ClearAllPools();
        SqliteDatabase.Migrate(connectionString);

        Assert.Equal((long)SchemaMigrations.All.Count, Scalar(connectionString, "SELECT COUNT(*) FROM NscrSchemaVersion;"));
        Assert.Equal((long)SchemaMigrations.All[^1].Version, Scalar(connectionString, "SELECT MAX(Version) FROM NscrSchemaVersion;"));
        Assert.Equal(7L, Scalar(connectionString, "SELECT Version FROM GrainState WHERE StateName = 's';"));
        Assert.Equal("wal", Scalar(connectionString, "PRAGMA journal_mode;"));
        Assert.Equal(
            "ClearStorageKey,DeleteStorageKey,ReadFromStorageKey,WriteToStorageKey",
            Scalar(connectionString, "SELECT group_concat(QueryKey) FROM (SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey);"));
    }

    [Fact]
    public void Migrate_rewrites_query_text_changed_in_the_database()
    {
        var connectionString = SqliteDatabase.ConnectionString(dataDir.Path);
        SqliteDatabase.Migrate(connectionString);
        Scalar(connectionString, "UPDATE OrleansQuery SET QueryText = 'stale' WHERE QueryKey = 'WriteToStorageKey';");

        SqliteDatabase.Migrate(connectionString);

        Assert.Contains("INSERT INTO GrainState",
            (string?)Scalar(connectionString, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey';"));
    }

    internal static object? Scalar(string connectionString, string sql)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
