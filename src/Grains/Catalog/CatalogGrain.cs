namespace Nscr.Grains.Catalog;

public sealed class CatalogGrain(
    [PersistentState("catalog", StorageNames.Registry)] IPersistentState<CatalogState> state,
    IStoredRepositories stored) : Grain, ICatalogGrain
{
    private SortedSet<string> repositories = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        repositories = new SortedSet<string>(state.State.Repositories, StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    public async Task AddAsync(string repository)
    {
        if (repositories.Contains(repository)) return;
        await SaveAsync(repositories.Append(repository));
        repositories.Add(repository);
    }

    public async Task RemoveAsync(string repository)
    {
        if (!repositories.Contains(repository)) return;
        await SaveAsync(repositories.Where(r => r != repository));
        repositories.Remove(repository);
    }

    public Task<IReadOnlyList<string>> ListAsync(string? last, int count)
    {
        IEnumerable<string> names = repositories;
        if (last is not null) names = names.Where(n => string.CompareOrdinal(n, last) > 0);
        IReadOnlyList<string> page = names.Take(count).ToArray();
        return Task.FromResult(page);
    }

    public Task<IReadOnlyList<string>> ListStoredAsync() => stored.ListAsync(CancellationToken.None);

    /// <summary>The in-memory list changes only once the new one is written: a failed write leaves both as they were.</summary>
    private async Task SaveAsync(IEnumerable<string> next)
    {
        var previous = state.State.Repositories;
        state.State.Repositories = next.Order(StringComparer.Ordinal).ToList();
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Repositories = previous;
            throw;
        }
    }
}
