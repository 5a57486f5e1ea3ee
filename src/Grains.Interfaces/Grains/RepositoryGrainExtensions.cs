namespace Nscr.Grains;

public static class RepositoryGrainExtensions
{
    private const int PageSize = 1000;

    /// <summary>Every tag of the repository, page by page, or null when it has no manifests.</summary>
    public static async Task<IReadOnlyList<string>?> ListTagsAsync(this IRepositoryGrain repository)
    {
        var tags = new List<string>();
        while (true)
        {
            var page = await repository.ListTagsAsync(tags.Count == 0 ? null : tags[^1], PageSize);
            if (page is null) return null;
            tags.AddRange(page);
            if (page.Count < PageSize) return tags;
        }
    }
}
