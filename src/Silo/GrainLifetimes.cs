using Orleans.Configuration;

namespace Nscr.Silo;

/// <summary>
/// How long idle grains stay in memory, the same for both modes: what the registry holds is in rows, so an idle
/// activation is a cache that costs a few kilobytes, and memory must follow the load, not the number of objects ever
/// touched. Grains that are many (blobs, repositories, uploads) set shorter ages of their own (Orleans' shortest is a
/// minute), so the quantum is well below that: an idle blob goes 60–70 s after its last call, not up to two minutes.
/// </summary>
public static class GrainLifetimes
{
    /// <summary>How often idle activations are looked for; every age set on a grain class must exceed it.</summary>
    public static readonly TimeSpan CollectionQuantum = TimeSpan.FromSeconds(10);

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
        });
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize);
        return silo;
    }
}
