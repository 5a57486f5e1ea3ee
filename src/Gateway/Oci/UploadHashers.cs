using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Nscr.Gateway.Oci;

/// <summary>
/// SHA-256 state of uploads in progress on this gateway, so a chunked upload is hashed once as it streams.
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

    /// <summary>A hasher positioned at <paramref name="offset"/>, or null when none is (caller re-hashes later).</summary>
    public IncrementalHash? Take(string uploadId, long offset)
    {
        if (entries.TryRemove(uploadId, out var entry))
        {
            if (entry.Offset == offset) return entry.Hash;
            entry.Hash.Dispose();
            return null;
        }
        return offset == 0 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
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
