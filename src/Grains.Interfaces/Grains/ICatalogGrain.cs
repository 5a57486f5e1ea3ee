using Orleans.Concurrency;

namespace Nscr.Grains;

/// <summary>
/// Stateless reader (key 0): the sorted list of repositories, for _catalog, the UI and GC, read by key range from the
/// repositories' rows (each repository grain writes its own), and the registry-wide figures of the admin API.
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

    /// <summary>A page of repositories with their counts, times and bytes (unique and shared for that page only).</summary>
    [Alias("ListRepositories"), ReadOnly]
    Task<RepositoryListPage> ListRepositoriesAsync(RepositoryListRequest request);

    /// <summary>Repository, tag and manifest counts, from the counts the repository grains keep.</summary>
    [Alias("Counts"), ReadOnly]
    Task<RegistryCounts> CountAsync();

    /// <summary>Stored, manifest and unreferenced blobs and bytes: one pass over the blob rows with indexed lookups.</summary>
    [Alias("Stored"), ReadOnly]
    Task<StoredFigures> GetStoredAsync();

    /// <summary>The bytes of the digests that two or more repositories stand on (each once): a pass over the references.</summary>
    [Alias("SharedBytes"), ReadOnly]
    Task<long> GetSharedBytesAsync();
}
