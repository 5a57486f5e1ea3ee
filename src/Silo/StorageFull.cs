using Microsoft.Data.Sqlite;
using Npgsql;

namespace Nscr.Silo;

/// <summary>
/// Recognises "the disk is full" in a failure from the blob store or the metadata store, however it was wrapped (Orleans
/// wraps storage errors in an OrleansException, and an exception that crossed between processes keeps only its type
/// name and message): ENOSPC as an IOException, SQLITE_FULL, PostgreSQL's disk_full, or their messages.
/// </summary>
public static class StorageFull
{
    private const int EnospcErrno = 28;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const int SqliteFull = 13;
    private const string PostgresDiskFull = "53100";

    private static readonly string[] Messages = ["No space left on device", "database or disk is full", "disk is full"];

    public static bool IsCause(Exception exception) => exception switch
    {
        IOException { HResult: EnospcErrno or WindowsDiskFull or WindowsHandleDiskFull } => true,
        SqliteException { SqliteErrorCode: SqliteFull } => true,
        PostgresException { SqlState: PostgresDiskFull } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsCause),
        _ when Messages.Any(m => exception.Message.Contains(m, StringComparison.OrdinalIgnoreCase)) => true,
        _ => exception.InnerException is { } inner && IsCause(inner),
    };
}
