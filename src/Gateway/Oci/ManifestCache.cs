using System.Collections.Concurrent;
using Nscr.Gateway.Hosting;
using Nscr.Oci;

namespace Nscr.Gateway.Oci;

/// <summary>
/// Manifest bodies by digest, kept in memory up to a byte budget. Content-addressed bytes never change, so
/// there is nothing to invalidate; when the budget is exceeded the cache simply starts over.
/// </summary>
public sealed class ManifestCache(RegistryOptions options)
{
    private readonly ConcurrentDictionary<Digest, byte[]> entries = new();
    private long bytes;

    public bool TryGet(Digest digest, out byte[] body) => entries.TryGetValue(digest, out body!);

    public void Add(Digest digest, byte[] body)
    {
        if (body.Length > options.ManifestCacheBytes / 4 || !entries.TryAdd(digest, body)) return;
        if (Interlocked.Add(ref bytes, body.Length) > options.ManifestCacheBytes)
        {
            entries.Clear();
            Interlocked.Exchange(ref bytes, 0);
        }
    }
}
