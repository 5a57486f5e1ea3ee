using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Nscr.Gateway.Oci;

/// <summary>
/// SHA-256 state of uploads in progress on this gateway, so a chunked upload is hashed once as it streams.
/// Incremental hash state cannot be persisted: when a session continues elsewhere (another gateway, a restart),
/// the entry is missing or at the wrong offset and the commit re-hashes the staged bytes from storage.
/// </summary>
public sealed class UploadHashers
{
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<string, (IncrementalHash Hash, long Offset)> entries = new();

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
        if (entries.Count >= MaxEntries)
        {
            hash.Dispose();
            return;
        }
        if (!entries.TryAdd(uploadId, (hash, offset))) hash.Dispose();
    }

    public void Forget(string uploadId)
    {
        if (entries.TryRemove(uploadId, out var entry)) entry.Hash.Dispose();
    }
}
