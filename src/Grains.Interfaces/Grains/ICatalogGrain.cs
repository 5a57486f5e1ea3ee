using Orleans.Concurrency;

namespace Nscr.Grains;

/// <summary>
/// Singleton (key 0): the sorted list of repositories, for _catalog, the UI and GC, read by key range from the
/// repositories' rows (each repository grain writes its own).
/// </summary>
[Alias("nscr.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithIntegerKey
{
    /// <summary>Up to <paramref name="count"/> names after <paramref name="last"/>, in lexical order.</summary>
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> ListAsync(string? last, int count);

    /// <summary>
    /// Every repository still in the old format (a serialized state row in grain storage), which the start-up upgrade
    /// moves into rows: GC marks them too, fsck reports them.
    /// </summary>
    [Alias("ListStored"), ReadOnly]
    Task<IReadOnlyList<string>> ListStoredAsync();
}
