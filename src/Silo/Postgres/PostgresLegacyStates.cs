using Microsoft.Extensions.Options;
using Npgsql;
using Nscr.Grains.Upgrade;
using Orleans.Configuration;

namespace Nscr.Silo.Postgres;

/// <summary>The grains of this service with a row in the cluster database's grain state table.</summary>
internal sealed class PostgresLegacyStates(string connectionString, IOptions<ClusterOptions> cluster) : ILegacyStates
{
    public async Task<IReadOnlyList<string>> ListAsync(string stateName, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT grain_id_extension FROM nscr_grain_state WHERE service_id = @service AND state_name = @name " +
            "AND payload IS NOT NULL ORDER BY grain_id_extension COLLATE \"C\";", connection);
        command.Parameters.AddWithValue("service", cluster.Value.ServiceId);
        command.Parameters.AddWithValue("name", stateName);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) keys.Add(reader.GetString(0));
        return keys;
    }
}
