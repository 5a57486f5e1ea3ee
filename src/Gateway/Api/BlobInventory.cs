using System.Collections.Concurrent;
using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Gateway.Api;

/// <summary>A listing of the stored blobs with their sizes, and of the staged objects (uploads in flight).</summary>
public sealed record BlobSnapshot(IReadOnlyDictionary<Digest, long> Sizes, long Bytes, DateTimeOffset TakenAt)
{
    /// <summary>Staged objects in the store: upload sessions and manifest bodies on their way, of every gateway.</summary>
    public int StagedObjects { get; init; }

    public long StagedBytes { get; init; }
}

/// <summary>
/// Blob sizes for the admin API (grains keep no sizes): one listing of the blob store, shared by concurrent requests
/// and reused for <see cref="MaxAge"/>, so a page of repositories or a status poll costs no listing of its own. A digest
/// stored after the listing is looked up with a stat and remembered.
/// </summary>
public sealed class BlobInventory(IBlobStore store, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<Digest, long> lateSizes = new();
    private Task<BlobSnapshot>? listing;

    /// <summary>
    /// The latest listing, taken now when the last one is older than <paramref name="maxAge"/> (default
    /// <see cref="MaxAge"/>; zero: a listing that starts now or is running).
    /// </summary>
    public Task<BlobSnapshot> GetAsync(CancellationToken cancellationToken, TimeSpan? maxAge = null)
    {
        Task<BlobSnapshot> current;
        lock (gate)
        {
            if (listing is null || listing.IsFaulted || listing.IsCanceled
                || (listing.IsCompletedSuccessfully && time.GetUtcNow() - listing.Result.TakenAt > (maxAge ?? MaxAge)))
            {
                // Not tied to one request's token: other requests wait for the same listing.
                listing = ListAsync();
            }
            current = listing;
        }
        return current.WaitAsync(cancellationToken);
    }

    /// <summary>The size of each digest (0 for one that is not stored), from the listing or a stat.</summary>
    public async Task<long> SizeAsync(BlobSnapshot snapshot, Digest digest, CancellationToken cancellationToken)
    {
        if (snapshot.Sizes.TryGetValue(digest, out var size) || lateSizes.TryGetValue(digest, out size)) return size;
        var stat = await store.StatAsync(digest, cancellationToken);
        if (stat is null) return 0;
        lateSizes[digest] = stat.Size;
        return stat.Size;
    }

    /// <summary>The total size of <paramref name="digests"/> (each counted once).</summary>
    public async Task<long> TotalAsync(BlobSnapshot snapshot, IEnumerable<Digest> digests, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var digest in digests.Distinct()) total += await SizeAsync(snapshot, digest, cancellationToken);
        return total;
    }

    private async Task<BlobSnapshot> ListAsync()
    {
        var taken = time.GetUtcNow();
        var sizes = new Dictionary<Digest, long>();
        long bytes = 0;
        await foreach (var blob in store.ListBlobsAsync(CancellationToken.None))
        {
            if (!Digest.TryParse(blob.Name, out var digest)) continue;
            sizes[digest] = blob.Size;
            bytes += blob.Size;
        }
        var (staged, stagedBytes) = (0, 0L);
        await foreach (var upload in store.ListStagedAsync(CancellationToken.None))
        {
            staged++;
            stagedBytes += upload.Size;
        }
        lateSizes.Clear();
        return new BlobSnapshot(sizes, bytes, taken) { StagedObjects = staged, StagedBytes = stagedBytes };
    }
}
