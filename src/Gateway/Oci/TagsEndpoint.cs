using Nscr.Gateway.Oci.Http;
using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Gateway.Oci;

/// <summary><c>GET /v2/&lt;name&gt;/tags/list</c> in lexical order, paginated with <c>n</c>, <c>last</c> and <c>Link</c>.</summary>
public sealed class TagsEndpoint(IGrainFactory grains)
{
    public async Task ListAsync(HttpContext context, OciRoute route)
    {
        var pagination = Pagination.FromQuery(OciQuery.Of(context));
        // One more than the page: whether a next page exists, without counting the repository's tags.
        var tags = await grains.GetGrain<IRepositoryGrain>(route.Name).ListTagsAsync(pagination.Last, pagination.Count + 1)
            ?? throw new OciException(OciErrorCode.NameUnknown, $"repository {route.Name} is not known", route.Name);
        var hasMore = tags.Count > pagination.Count;
        var page = hasMore ? tags.Take(pagination.Count).ToArray() : tags;
        pagination.AddNextLink(context.Response, $"/v2/{route.Name}/tags/list", page, hasMore);
        await OciResponses.WriteJsonAsync(context, "application/json", json =>
        {
            json.WriteStartObject();
            json.WriteString("name", route.Name);
            json.WriteStartArray("tags");
            foreach (var tag in page) json.WriteStringValue(tag);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
