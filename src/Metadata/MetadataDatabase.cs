using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Nscr.Metadata;

/// <summary>
/// The connections the row stores use: the silo's data source (SQLite's, with its per-connection settings, or
/// Npgsql's) and which database it is. Writes begin immediately (SQLite takes its write lock at BEGIN, so a
/// transaction that reads before it writes never fails half-way on a lock it could not upgrade).
/// </summary>
public sealed class MetadataDatabase(DbDataSource dataSource, SqlDialect dialect)
{
    public SqlDialect Dialect => dialect;

    internal async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="body"/> in one transaction; it commits when the body returns, and nothing is kept when it
    /// throws. <paramref name="kind"/> (the caller) names the transaction to the crash tests' <see cref="CrashPoints"/>.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> body, CancellationToken cancellationToken, [CallerMemberName] string kind = "")
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        CrashPoints.Began(transaction, kind);
        var result = await body(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        CrashPoints.AfterCommit(transaction);
        return result;
    }

    internal async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> body, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await body(connection);
    }
}
