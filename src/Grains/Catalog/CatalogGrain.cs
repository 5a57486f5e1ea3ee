using Nscr.Metadata;
using Nscr.Grains.Upgrade;
using Orleans.Concurrency;

namespace Nscr.Grains.Catalog;

/// <summary>
/// The catalog is the repositories' rows: a repository grain adds its row before its first push touches a blob and
/// removes it with its last manifest. This grain only reads them, by key range, from any silo, and reads the admin
/// API's registry-wide figures (<see cref="UsageRows"/>).
/// </summary>
[StatelessWorker]
public sealed class CatalogGrain(CatalogRows catalog, UsageRows usage, ILegacyStates stored) : Grain, ICatalogGrain
{
    public Task<IReadOnlyList<string>> ListAsync(string? last, int count) => catalog.ListNamesAsync(last, count, CancellationToken.None);

    public Task<IReadOnlyList<string>> ListStoredAsync() => stored.ListAsync(StorageNames.RepositoryState, CancellationToken.None);

    public Task<RepositoryListPage> ListRepositoriesAsync(RepositoryListRequest request) => usage.ListAsync(request, CancellationToken.None);

    public Task<RegistryCounts> CountAsync() => catalog.CountAsync(CancellationToken.None);

    public Task<StoredFigures> GetStoredAsync() => usage.StoredAsync(CancellationToken.None);

    public Task<long> GetSharedBytesAsync() => usage.SharedBytesAsync(CancellationToken.None);
}
