using System.Collections.Concurrent;

namespace Nscr.Metadata;

/// <summary>
/// The unique bytes of big repositories (their computation is an index lookup per digest: tens of milliseconds for
/// 10,000 manifests), kept while nothing that could change them happened: the repository's row is the same (manifest
/// count, size, last push) and so is the registry's generation (repositories, manifests and the latest push, which
/// any push of a new manifest moves and any removal lowers). Entries also expire, in case a silo's clock lags another's.
/// Bounded: big repositories only, at most <see cref="Capacity"/>.
/// </summary>
internal sealed class UniqueBytesCache(TimeProvider time)
{
    /// <summary>Repositories with at least this many manifests are worth keeping.</summary>
    public const int BigRepository = 64;

    private const int Capacity = 256;

    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public bool TryGet(RepositoryRow row, RegistryGeneration generation, out (int Digests, long Unique) figures)
    {
        figures = default;
        if (!entries.TryGetValue(row.Name, out var entry) || entry.Version != Version(row) || entry.Generation != generation
            || time.GetUtcNow() - entry.At > MaxAge) return false;
        figures = (entry.Digests, entry.Unique);
        return true;
    }

    public void Add(RepositoryRow row, RegistryGeneration generation, (int Digests, long Unique) figures)
    {
        if (entries.Count >= Capacity) entries.Clear();
        entries[row.Name] = new Entry(Version(row), generation, figures.Digests, figures.Unique, time.GetUtcNow());
    }

    private static (int, long, DateTimeOffset) Version(RepositoryRow row) => (row.Manifests, row.SizeBytes, row.LastPushedAt);

    private sealed record Entry((int, long, DateTimeOffset) Version, RegistryGeneration Generation, int Digests, long Unique, DateTimeOffset At);
}

/// <summary>What changes whenever any repository's references change (see <see cref="UniqueBytesCache"/>).</summary>
internal readonly record struct RegistryGeneration(long Repositories, long Manifests, long LatestPush);
