using Nscr.Grains;
using Nscr.Grains.Catalog;

namespace Nscr.Silo.Sqlite;

/// <summary>The repositories with a row in the embedded database's grain state table.</summary>
internal sealed class SqliteStoredRepositories(ConfiguredSqliteDataSource dataSource) : IStoredRepositories
{
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = dataSource.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT GrainIdExtension FROM GrainState WHERE StateName = $name AND Payload IS NOT NULL ORDER BY GrainIdExtension;";
        command.Parameters.AddWithValue("$name", StorageNames.RepositoryState);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) names.Add(reader.GetString(0));
        return names;
    }
}
