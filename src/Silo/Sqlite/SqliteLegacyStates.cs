using Nscr.Grains.Upgrade;

namespace Nscr.Silo.Sqlite;

/// <summary>The grains with a row in the embedded database's grain state table.</summary>
internal sealed class SqliteLegacyStates(ConfiguredSqliteDataSource dataSource) : ILegacyStates
{
    public async Task<IReadOnlyList<string>> ListAsync(string stateName, CancellationToken cancellationToken)
    {
        await using var connection = dataSource.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT GrainIdExtension FROM GrainState WHERE StateName = $name AND Payload IS NOT NULL ORDER BY GrainIdExtension;";
        command.Parameters.AddWithValue("$name", stateName);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) keys.Add(reader.GetString(0));
        return keys;
    }
}
