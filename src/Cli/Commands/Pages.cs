using System.Text.Json.Nodes;
using Nscr.Cli.Admin;

namespace Nscr.Cli.Commands;

/// <summary>
/// Follows the admin API's pagination (<c>n</c>/<c>last</c>, answered with <c>"next"</c>) and merges the pages into one
/// document of the same shape: the items of every page under <paramref name="itemsName"/>, and <c>"next"</c> null (or
/// the cursor where <c>--limit</c> stopped).
/// </summary>
public static class Pages
{
    private const int PageSize = 1000;

    public static async Task<JsonObject> ReadAllAsync(AdminApi api, string path, string itemsName, int limit, CancellationToken cancellationToken)
    {
        JsonObject? merged = null;
        var items = new JsonArray();
        string? last = null;
        while (true)
        {
            var size = limit > 0 ? Math.Min(PageSize, limit - items.Count) : PageSize;
            var separator = path.Contains('?') ? '&' : '?';
            var query = $"{path}{separator}n={size}" + (last is null ? "" : $"&last={Uri.EscapeDataString(last)}");
            var page = JsonNode.Parse((await api.GetAsync(query, cancellationToken)).Body)!.AsObject();
            merged ??= page.DeepClone().AsObject();
            foreach (var item in page[itemsName]?.AsArray() ?? []) items.Add(item?.DeepClone());
            last = page["next"]?.GetValue<string>();
            if (last is null || (limit > 0 && items.Count >= limit)) break;
        }
        merged[itemsName] = items;
        merged["next"] = last;
        return merged;
    }
}
