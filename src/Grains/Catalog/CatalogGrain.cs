using Nscr.Metadata;
using Nscr.Grains.Upgrade;
using Orleans.Concurrency;

namespace Nscr.Grains.Catalog;

/// <summary>
/// The catalog is the repositories' rows: a repository grain adds its row before its first push touches a blob and
/// removes it with its last manifest. This grain only reads them, by key range, from any silo.
/// </summary>
[StatelessWorker]
public sealed class CatalogGrain(CatalogRows catalog, ILegacyStates stored) : Grain, ICatalogGrain
{
    public Task<IReadOnlyList<string>> ListAsync(string? last, int count) => catalog.ListNamesAsync(last, count, CancellationToken.None);

    public Task<IReadOnlyList<string>> ListStoredAsync() => stored.ListAsync(StorageNames.RepositoryState, CancellationToken.None);
}
