using Nscr.Gateway.Auth;
using Nscr.Gateway.Oci.Http;
using Nscr.Grains;

namespace Nscr.Gateway.Oci;

/// <summary><c>GET /v2/_catalog</c>, paginated with <c>n</c>, <c>last</c> and <c>Link</c>; with auth on, only the
/// repositories the caller may pull.</summary>
public sealed class CatalogEndpoint(IGrainFactory grains)
{
    public async Task ListAsync(HttpContext context)
    {
        var pagination = Pagination.FromQuery(OciQuery.Of(context));
        var visibility = context.Features.Get<IRepositoryVisibility>();
        var names = visibility is null
            ? await grains.GetGrain<ICatalogGrain>(0).ListAsync(pagination.Last, pagination.Count + 1)
            : await ListVisibleAsync(visibility, pagination.Last, pagination.Count + 1);
        var hasMore = names.Count > pagination.Count;
        var page = hasMore ? names.Take(pagination.Count).ToArray() : names;
        pagination.AddNextLink(context.Response, "/v2/_catalog", page, hasMore);
        await OciResponses.WriteJsonAsync(context, "application/json", json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("repositories");
            foreach (var name in page) json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>Walks the catalog in batches from <paramref name="last"/>, keeping the names the caller may pull, until
    /// <paramref name="count"/> are found or the catalog ends (so <c>n</c>, <c>last</c> and <c>Link</c> stay exact).</summary>
    private async Task<IReadOnlyList<string>> ListVisibleAsync(IRepositoryVisibility visibility, string? last, int count)
    {
        const int Batch = 500;
        var catalog = grains.GetGrain<ICatalogGrain>(0);
        var visible = new List<string>(Math.Min(count, Batch));
        while (visible.Count < count)
        {
            var names = await catalog.ListAsync(last, Batch);
            foreach (var name in names)
            {
                if (visibility.MayPull(name)) visible.Add(name);
                if (visible.Count == count) break;
            }
            if (names.Count < Batch) break;
            last = names[^1];
        }
        return visible;
    }
}
