namespace Nscr.Grains.Catalog;

public sealed class CatalogGrain(
    [PersistentState("catalog", StorageNames.Registry)] IPersistentState<CatalogState> state) : Grain, ICatalogGrain
{
    private SortedSet<string> repositories = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        repositories = new SortedSet<string>(state.State.Repositories, StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    public async Task AddAsync(string repository)
    {
        if (repositories.Add(repository)) await SaveAsync();
    }

    public async Task RemoveAsync(string repository)
    {
        if (repositories.Remove(repository)) await SaveAsync();
    }

    public Task<IReadOnlyList<string>> ListAsync(string? last, int count)
    {
        IEnumerable<string> names = repositories;
        if (last is not null) names = names.Where(n => string.CompareOrdinal(n, last) > 0);
        IReadOnlyList<string> page = names.Take(count).ToArray();
        return Task.FromResult(page);
    }

    private Task SaveAsync()
    {
        state.State.Repositories = [.. repositories];
        return state.WriteStateAsync();
    }
}
