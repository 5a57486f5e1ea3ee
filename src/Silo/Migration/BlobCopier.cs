using System.Security.Cryptography;
using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Silo.Migration;

/// <summary>
/// Copies every committed blob (layers, configs and manifest bodies alike) from the embedded store into the target
/// store, re-hashing the bytes on the way and committing only what matches its digest. Blobs the target already holds
/// with the same size are skipped, so an interrupted copy resumes where it stopped.
/// </summary>
internal static class BlobCopier
{
    public static async Task<BlobCopyReport> CopyAsync(IBlobStore source, IBlobStore target, CancellationToken cancellationToken)
    {
        var report = new BlobCopyReport();
        await foreach (var blob in source.ListBlobsAsync(cancellationToken))
        {
            var digest = Digest.Parse(blob.Name);
            if (await target.StatAsync(digest, cancellationToken) is { } present && present.Size == blob.Size)
            {
                report.Present++;
                continue;
            }
            await CopyOneAsync(source, target, digest, cancellationToken);
            report.Copied++;
            report.Bytes += blob.Size;
        }
        return report;
    }

    private static async Task CopyOneAsync(IBlobStore source, IBlobStore target, Digest digest, CancellationToken cancellationToken)
    {
        var stagingId = $"migrate-{Guid.NewGuid():N}";
        await using var stream = await source.OpenReadAsync(digest, 0, cancellationToken)
            ?? throw new MigrationException($"blob {digest} vanished from the source while copying.");
        await target.CreateStagedAsync(stagingId, cancellationToken);
        try
        {
            using var hasher = IncrementalHash.CreateHash(digest.HashAlgorithm);
            await target.WriteStagedAsync(stagingId, 0, stream, hasher, long.MaxValue, cancellationToken);
            var actual = Digest.FromHash(digest.Algorithm, hasher.GetHashAndReset());
            if (actual != digest)
            {
                throw new MigrationException($"blob {digest} in the source is corrupt (its bytes hash to {actual}); run `nscr fsck` on the embedded registry.");
            }
            await target.CommitStagedAsync(stagingId, digest, cancellationToken);
        }
        finally
        {
            await target.DeleteStagedAsync(stagingId, CancellationToken.None);
        }
    }
}

internal sealed class BlobCopyReport
{
    public int Copied { get; set; }

    public int Present { get; set; }

    public long Bytes { get; set; }
}
