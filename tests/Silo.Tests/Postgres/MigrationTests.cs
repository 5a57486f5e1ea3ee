using Npgsql;
using Nscr.Silo.Postgres;

namespace Nscr.Silo.Tests.Postgres;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrating_twice_leaves_one_schema_version_and_every_provider_query()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync();

        await PostgresDatabase.MigrateAsync(connectionString);
        await PostgresDatabase.MigrateAsync(connectionString);

        Assert.Equal(PostgresDatabase.LatestVersion, await PostgresDatabase.SchemaVersionAsync(connectionString));
        Assert.Equal(PostgresDatabase.LatestVersion, await ScalarAsync<long>(connectionString, "SELECT count(*) FROM nscr_schema_version;"));
        var keys = await QueryKeysAsync(connectionString);
        Assert.Contains("MembershipReadAllKey", keys);
        Assert.Contains("CleanupDefunctSiloEntryKey", keys);
        Assert.Contains("UpsertReminderRowKey", keys);
        Assert.Contains("WriteToStorageKey", keys);
        Assert.Equal(21, keys.Count);
    }

    [Fact]
    public async Task Processes_starting_at_once_migrate_without_failing()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PostgresDatabase.MigrateAsync(connectionString))));

        Assert.Equal(PostgresDatabase.LatestVersion, await ScalarAsync<long>(connectionString, "SELECT count(*) FROM nscr_schema_version;"));
        Assert.Equal(21, (await QueryKeysAsync(connectionString)).Count);
    }

    [Fact]
    public async Task An_empty_database_has_schema_version_zero()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync();

        Assert.Equal(0, await PostgresDatabase.SchemaVersionAsync(connectionString));
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> QueryKeysAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery;", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        return keys;
    }
}
