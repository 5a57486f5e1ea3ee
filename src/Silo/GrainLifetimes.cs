using Nscr.Grains.Blobs;
using Nscr.Grains.Repositories;
using Orleans.Configuration;

namespace Nscr.Silo;

/// <summary>
/// How long idle grains stay in memory, the same for both modes: what the registry holds is in rows, so an idle
/// activation is a cache that costs a few kilobytes, and memory must follow the load, not the number of objects ever
/// touched. The grains that are many get short ages here (blobs, repositories) or leave when done (uploads).
/// </summary>
public static class GrainLifetimes
{
    /// <summary>How often idle activations are looked for; every age set on a grain class must exceed it.</summary>
    public static readonly TimeSpan CollectionQuantum = TimeSpan.FromSeconds(5);

    /// <summary>How long an idle blob grain stays (its row and a few links).</summary>
    public static readonly TimeSpan BlobAge = TimeSpan.FromSeconds(15);

    /// <summary>How long an idle repository grain stays (the catalog flag and its few resolved references).</summary>
    public static readonly TimeSpan RepositoryAge = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Grain locations cached per silo. Orleans' default (a million) is allocated up front and keeps an entry per grain
    /// ever looked up; a registry's hot set is far smaller, and a miss costs one directory lookup.
    /// </summary>
    public const int DirectoryCacheSize = 10_000;

    public static ISiloBuilder UseNscrGrainLifetimes(this ISiloBuilder silo)
    {
        silo.Configure<GrainCollectionOptions>(o =>
        {
            o.CollectionQuantum = CollectionQuantum;
            o.CollectionAge = TimeSpan.FromMinutes(30);
            // Shorter than Orleans' attribute allows (a minute at least): at 150 pushes a second a minute of blobs is
            // tens of thousands of activations. A blob's work in a push (check, upload, reference) takes seconds, and
            // a reactivation is two point reads.
            o.ClassSpecificCollectionAge[typeof(BlobGrain).FullName!] = BlobAge;
            o.ClassSpecificCollectionAge[typeof(RepositoryGrain).FullName!] = RepositoryAge;
        });
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize);
        return silo;
    }
}
