using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Nscr.Silo.Sqlite;

/// <summary>
/// Opens pooled connections with the per-connection settings this database needs. Handed to Orleans'
/// ADO.NET grain storage as its DataSource, because the settings cannot go into the query text:
/// <c>PRAGMA busy_timeout</c> returns a row the provider would read as its result.
/// </summary>
internal sealed class ConfiguredSqliteDataSource(string connectionString) : DbDataSource
{
    /// <summary>
    /// synchronous=NORMAL: in WAL mode a commit is not fsync'ed, so it survives a killed process (the WAL
    /// is in the OS page cache) but not a power cut; measured here FULL costs 1-6 ms per write, NORMAL 0.1 ms.
    /// busy_timeout: a writer waiting for another's lock is woken by SQLite within milliseconds; without it,
    /// Microsoft.Data.Sqlite retries SQLITE_BUSY after a fixed 150 ms sleep.
    /// cache_size: each pooled connection has a page cache of its own, filled as the database grows (2 MiB by
    /// default, times every connection the pool keeps); the file's pages stay in the OS cache, so a small one costs
    /// reads from memory, not from disk.
    /// </summary>
    private static readonly string ConnectionPragmas =
        $"PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = {SqliteDatabase.LockTimeoutSeconds * 1000}; PRAGMA cache_size = -{PageCacheKib};";

    /// <summary>The page cache of one connection, in KiB.</summary>
    private const int PageCacheKib = 512;

    public override string ConnectionString => connectionString;

    /// <summary>An unopened connection, without the settings: open connections with OpenConnection(Async).</summary>
    protected override DbConnection CreateDbConnection() => new SqliteConnection(connectionString);

    protected override DbConnection OpenDbConnection() => Open();

    // Microsoft.Data.Sqlite does its I/O synchronously whichever method is called.
    protected override ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<DbConnection>(Open());
    }

    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
