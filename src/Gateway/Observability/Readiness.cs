using Microsoft.Data.Sqlite;
using Npgsql;
using Nscr.Grains;
using Nscr.Silo.Sqlite;
using Nscr.Storage;

namespace Nscr.Gateway.Observability;

/// <summary>One thing <c>/readyz</c> checks; it throws (or times out) when the process cannot serve. Register more in DI.</summary>
public interface IReadinessCheck
{
    string Name { get; }

    Task CheckAsync(CancellationToken cancellationToken);
}

/// <summary>The silo answers (co-hosted), or the cluster client reaches one: a read-only call to the catalog grain.</summary>
public sealed class OrleansReadinessCheck(IGrainFactory grains) : IReadinessCheck
{
    public string Name => "orleans";

    public Task CheckAsync(CancellationToken cancellationToken) =>
        grains.GetGrain<ICatalogGrain>(0).ListAsync(null, 1).WaitAsync(cancellationToken);
}

/// <summary>The embedded SQLite database opens and answers a query.</summary>
public sealed class SqliteReadinessCheck(string dataDir) : IReadinessCheck
{
    public string Name => "database";

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(SqliteDatabase.ConnectionString(dataDir));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master";
        await command.ExecuteScalarAsync(cancellationToken);
    }
}

/// <summary>
/// The cluster database answers <c>SELECT 1</c> (cluster nodes and pure gateways: membership, grain state and reminders
/// live there). Its own small pool with short timeouts, so a stopped or unreachable server fails the check quickly
/// instead of holding <c>/readyz</c> for the configured connection timeout.
/// </summary>
public sealed class PostgresReadinessCheck : IReadinessCheck, IAsyncDisposable
{
    private static readonly int TimeoutSeconds = (int)Math.Max(1, HealthEndpoints.CheckTimeout.TotalSeconds - 2);
    private readonly NpgsqlDataSource dataSource;

    public PostgresReadinessCheck(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = TimeoutSeconds,
            CommandTimeout = TimeoutSeconds,
            MinPoolSize = 0,
            MaxPoolSize = 2,
            ApplicationName = "nscr-readyz",
        };
        dataSource = NpgsqlDataSource.Create(builder);
    }

    public string Name => "database";

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}

/// <summary>The blob store takes a write (its own probe: a small file where uploads go).</summary>
public sealed class BlobStoreReadinessCheck(IBlobStore store) : IReadinessCheck
{
    public string Name => "blobstore";

    public Task CheckAsync(CancellationToken cancellationToken) => store.CheckWritableAsync(cancellationToken);
}
