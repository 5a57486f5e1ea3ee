using Nscr.Gateway.Oci.Http;
using Nscr.Grains;

namespace Nscr.Gateway.Oci;

/// <summary><c>GET /v2/_catalog</c>, paginated with <c>n</c>, <c>last</c> and <c>Link</c>.</summary>
public sealed class CatalogEndpoint(IGrainFactory grains)
{
    public async Task ListAsync(HttpContext context)
    {
        var pagination = Pagination.FromQuery(context.Request.Query);
        var names = await grains.GetGrain<ICatalogGrain>(0).ListAsync(pagination.Last, pagination.Count + 1);
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
}
