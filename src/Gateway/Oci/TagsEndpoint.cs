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
        var tags = await grains.GetGrain<IRepositoryGrain>(route.Name).ListTagsAsync()
            ?? throw new OciException(OciErrorCode.NameUnknown, $"repository {route.Name} is not known", route.Name);
        var start = 0;
        if (pagination.Last is { } last)
        {
            // Tags are sorted ordinally: find the first one after `last`.
            var (low, high) = (0, tags.Count);
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (string.CompareOrdinal(tags[middle], last) <= 0) low = middle + 1;
                else high = middle;
            }
            start = low;
        }
        var count = Math.Min(pagination.Count, tags.Count - start);
        var page = new string[count];
        for (var i = 0; i < count; i++) page[i] = tags[start + i];
        pagination.AddNextLink(context.Response, $"/v2/{route.Name}/tags/list", page, start + count < tags.Count);
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
