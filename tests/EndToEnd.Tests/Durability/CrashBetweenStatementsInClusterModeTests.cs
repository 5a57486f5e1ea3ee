using Npgsql;
using Nscr.EndToEnd.Tests.Infrastructure;
using Nscr.Silo.Tests.Postgres;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>
/// The crash sweep in cluster mode: a registry node (gateway and silo in one process) on a private PostgreSQL server
/// is killed at every crash point of a first push (two transactions: the catalog row, then the manifest), and the
/// database must hold it whole or not at all. PostgreSQL outlives the node, as in a real cluster: it rolls back the
/// dead connection's transaction.
/// </summary>
public sealed class CrashBetweenStatementsInClusterModeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task FirstManifestPut_OfANewRepository()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("crash");
        var environment = new Dictionary<string, string>
        {
            ["NSCR_POSTGRES"] = database,
            ["NSCR_SILO_PORT"] = FreePort.Next().ToString(),
            ["NSCR_GATEWAY_PORT"] = FreePort.Next().ToString(),
            ["NSCR_ADVERTISED_ADDRESS"] = "127.0.0.1",
        };
        await CrashSweep.RunAsync(output, null, CrashWrites.FirstManifestPut, environment,
            () => new DeadRegistryRows(new NpgsqlConnection(database)));
    }
}
