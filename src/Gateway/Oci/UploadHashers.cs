using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Nscr.Gateway.Oci;

/// <summary>
/// Hash state of uploads in progress on this gateway, so a chunked upload is hashed once as it streams: SHA-256 while
/// the digest is unknown (PATCH), else the digest's algorithm. A chunked upload that ends with a sha512 digest is
/// re-hashed from storage, streaming, at commit: hashing both algorithms on the fly would cost every upload (SHA-512
/// runs at ~0.96 GB/s here against SHA-256's ~1.6 GB/s) for a rare case.
/// Incremental hash state cannot be persisted: when a session continues elsewhere (another gateway, a restart),
/// the entry is missing or at the wrong offset and the commit re-hashes the staged bytes from storage. In a cluster the
/// session may also finish on another gateway, leaving an entry here that nobody takes: entries idle longer than
/// <see cref="IdleLimit"/> are dropped when the table is full, so stale ones never crowd out live uploads.
/// </summary>
public sealed class UploadHashers
{
    private const int MaxEntries = 4096;
    private static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, (IncrementalHash Hash, long Offset, long PutAt)> entries = new();

    /// <summary>
    /// A <paramref name="algorithm"/> hasher positioned at <paramref name="offset"/>, or null when none is (caller
    /// re-hashes later). SHA-256 when no algorithm is given (the digest is not known yet).
    /// </summary>
    public IncrementalHash? Take(string uploadId, long offset, HashAlgorithmName algorithm = default)
    {
        if (algorithm == default) algorithm = HashAlgorithmName.SHA256;
        if (entries.TryRemove(uploadId, out var entry))
        {
            if (entry.Offset == offset && entry.Hash.AlgorithmName == algorithm) return entry.Hash;
            entry.Hash.Dispose();
            return null;
        }
        return offset == 0 ? IncrementalHash.CreateHash(algorithm) : null;
    }

    public void Put(string uploadId, IncrementalHash hash, long offset)
    {
        if (entries.Count >= MaxEntries && DropIdle() == 0)
        {
            hash.Dispose();
            return;
        }
        if (!entries.TryAdd(uploadId, (hash, offset, Environment.TickCount64))) hash.Dispose();
    }

    private int DropIdle()
    {
        var cutoff = Environment.TickCount64 - (long)IdleLimit.TotalMilliseconds;
        var dropped = 0;
        foreach (var (id, entry) in entries)
        {
            if (entry.PutAt < cutoff && entries.TryRemove(new KeyValuePair<string, (IncrementalHash, long, long)>(id, entry)))
            {
                entry.Hash.Dispose();
                dropped++;
            }
        }
        return dropped;
    }

    public void Forget(string uploadId)
    {
        if (entries.TryRemove(uploadId, out var entry)) entry.Hash.Dispose();
    }
}
