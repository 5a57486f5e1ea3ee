using Npgsql;
using Nscr.Metadata;
using Nscr.Silo.Postgres;
using Nscr.Silo.Sqlite;
using Nscr.Silo.Tests.Postgres;
using Nscr.Silo.Tests.Sqlite;

namespace Nscr.Silo.Tests.Metadata;

/// <summary>A freshly migrated database for each test, through the silo's own migrations.</summary>
public interface IRowsDatabases
{
    Task<MetadataDatabase> CreateAsync();
}

/// <summary>SQLite files in a data dir of their own, opened with the settings the silo uses.</summary>
public sealed class SqliteRowsDatabases : IRowsDatabases, IDisposable
{
    private readonly List<TempDataDir> dirs = [];

    public Task<MetadataDatabase> CreateAsync()
    {
        var dir = new TempDataDir();
        dirs.Add(dir);
        var connectionString = SqliteDatabase.ConnectionString(dir.Path);
        SqliteDatabase.Migrate(connectionString);
        return Task.FromResult(new MetadataDatabase(new ConfiguredSqliteDataSource(connectionString), SqlDialect.Sqlite));
    }

    public void Dispose()
    {
        foreach (var dir in dirs) dir.Dispose();
    }
}

/// <summary>Databases on one private PostgreSQL server.</summary>
public sealed class PostgresRowsDatabases : IRowsDatabases, IAsyncLifetime
{
    private readonly List<NpgsqlDataSource> sources = [];
    private PostgresServer? server;

    public async Task<MetadataDatabase> CreateAsync()
    {
        var connectionString = await server!.CreateDatabaseAsync("rows");
        await PostgresDatabase.MigrateAsync(connectionString);
        var source = NpgsqlDataSource.Create(connectionString);
        sources.Add(source);
        return new MetadataDatabase(source, SqlDialect.Postgres);
    }

    public async Task InitializeAsync() => server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var source in sources) await source.DisposeAsync();
        if (server is not null) await server.DisposeAsync();
    }
}
