namespace Nscr.Grains;

public static class CatalogGrainExtensions
{
    private const int PageSize = 1000;

    /// <summary>Every repository name, read page by page so no single call carries the whole catalog.</summary>
    public static async Task<List<string>> ListAllAsync(this ICatalogGrain catalog)
    {
        var names = new List<string>();
        while (true)
        {
            var page = await catalog.ListAsync(names.Count == 0 ? null : names[^1], PageSize);
            names.AddRange(page);
            if (page.Count < PageSize) return names;
        }
    }
}
