using Orleans.Concurrency;

namespace Nscr.Grains;

/// <summary>Singleton (key 0): the sorted list of repositories, for _catalog, the UI and GC.</summary>
[Alias("nscr.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task AddAsync(string repository);

    [Alias("Remove")]
    Task RemoveAsync(string repository);

    /// <summary>Up to <paramref name="count"/> names after <paramref name="last"/>, in lexical order.</summary>
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> ListAsync(string? last, int count);

    /// <summary>
    /// Every repository with a state row in grain storage, whether the catalog lists it or not (a failure between the
    /// two writes can leave them apart): GC marks them all, fsck reports the ones the catalog misses.
    /// </summary>
    [Alias("ListStored"), ReadOnly]
    Task<IReadOnlyList<string>> ListStoredAsync();
}
