using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using Nscr.Grains;
using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Gateway.Api;

/// <summary>
/// What fsck found: blobs whose bytes no longer hash to their name, blobs manifests need that are not stored, and
/// repositories with a stored state that the catalog does not list (hidden from <c>_catalog</c> and the UI).
/// </summary>
public sealed record FsckReport(
    int CheckedBlobs,
    long CheckedBytes,
    TimeSpan Duration,
    IReadOnlyList<(Digest Digest, Digest Actual)> Corrupt,
    IReadOnlyList<(string Repository, Digest Digest)> Missing,
    IReadOnlyList<string> Uncataloged)
{
    public bool Ok => Corrupt.Count == 0 && Missing.Count == 0 && Uncataloged.Count == 0;
}

/// <summary>
/// Re-hashes every stored blob, checks that every blob a manifest stands on is stored and that the catalog lists every
/// repository with a stored state. Deletes and changes nothing.
/// A blob deleted by a GC cycle while fsck runs is not reported (it was listed, then vanished).
/// </summary>
public sealed class FsckRunner(IGrainFactory grains, IBlobStore store)
{
    /// <summary>Blobs hashed at once: the machine's cores, not more (hashing is CPU-bound once the pages are cached).</summary>
    private static readonly int Parallelism = Math.Max(1, Environment.ProcessorCount);

    private const int ReportCap = 1000;

    public async Task<FsckReport> RunAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var stored = new HashSet<Digest>();
        var corrupt = new List<(Digest, Digest)>();
        var checkedBlobs = 0;
        var checkedBytes = 0L;
        var gate = new Lock();
        await Parallel.ForEachAsync(store.ListBlobsAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (blob, cancel) =>
            {
                if (!Digest.TryParse(blob.Name, out var digest)) return;
                var actual = await HashAsync(digest, cancel);
                lock (gate)
                {
                    stored.Add(digest);
                    if (actual is null) return;
                    checkedBlobs++;
                    checkedBytes += blob.Size;
                    if (actual.Value != digest && corrupt.Count < ReportCap) corrupt.Add((digest, actual.Value));
                }
            });

        // Every repository with a stored state, not only the catalog's: a failed write can leave the two apart.
        var catalog = grains.GetGrain<ICatalogGrain>(0);
        var listed = (await catalog.ListAllAsync()).ToHashSet(StringComparer.Ordinal);
        var storedRepositories = await catalog.ListStoredAsync();
        var uncataloged = storedRepositories.Where(r => !listed.Contains(r)).Take(ReportCap).ToArray();
        var missing = new List<(string, Digest)>();
        foreach (var repository in listed.Union(storedRepositories, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            foreach (var digest in await grains.GetGrain<IRepositoryGrain>(repository).ReferencedDigestsAsync())
            {
                if (stored.Contains(digest) || missing.Count >= ReportCap) continue;
                // Listed before the manifest was pushed, or really gone: look again.
                if (await store.StatAsync(digest, cancellationToken) is null) missing.Add((repository, digest));
            }
        }
        return new FsckReport(checkedBlobs, checkedBytes, watch.Elapsed, corrupt, missing, uncataloged);
    }

    /// <summary>The digest of the stored bytes, or null when the blob vanished meanwhile.</summary>
    private async Task<Digest?> HashAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(digest, 0, cancellationToken);
        if (stream is null) return null;
        using var hash = IncrementalHash.CreateHash(digest.HashAlgorithm);
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0) hash.AppendData(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Digest.FromHash(digest.Algorithm, hash.GetHashAndReset());
    }
}
