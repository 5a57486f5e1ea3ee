using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nscr.Silo.Postgres;
using Nscr.Storage;
using Nscr.Storage.FileSystem;

namespace Nscr.Silo.Migration;

/// <summary>
/// Moves an embedded registry into a cluster: blobs first (verified against their digests), then the grain state and
/// reminders in one PostgreSQL transaction, so the cluster never sees metadata whose blobs are missing. Idempotent and
/// resumable: run it again after any failure.
/// </summary>
public static class EmbeddedMigration
{
    public sealed record Report(int GrainStates, int Reminders, int BlobsCopied, int BlobsAlreadyPresent, long BytesCopied);

    public static async Task<Report> RunAsync(
        string sourceDataDir, string postgres, string serviceId, IBlobStore target, CancellationToken cancellationToken = default)
    {
        var sourceDir = Path.GetFullPath(sourceDataDir);
        using var database = SourceDatabase.OpenExclusive(sourceDir);
        await PostgresDatabase.MigrateAsync(postgres, cancellationToken);
        var source = new FileSystemBlobStore(
            Options.Create(new FileSystemBlobStoreOptions { RootDirectory = sourceDir }), NullLogger<FileSystemBlobStore>.Instance);
        var blobs = await BlobCopier.CopyAsync(source, target, cancellationToken);
        var (states, reminders) = await ClusterDatabaseWriter.WriteAsync(postgres, serviceId, database, cancellationToken);
        return new Report(states, reminders, blobs.Copied, blobs.Present, blobs.Bytes);
    }
}
