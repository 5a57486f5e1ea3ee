using System.Text.Json;
using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>/api/repositories</c>: GET lists repositories (<c>?q=</c> substring filter, <c>n</c>/<c>last</c> pagination) with
/// their tag and manifest counts, size and last push; <c>GET /api/repositories/&lt;name&gt;</c> gives one;
/// <c>DELETE /api/repositories/&lt;name&gt;</c> answers 202 once every tag and manifest is gone and the repository has
/// left the catalog (its blob links are removed; the bytes nobody else uses go at the next GC cycle).
/// </summary>
public sealed class RepositoriesEndpoint(IGrainFactory grains, BlobInventory inventory)
{
    private const int CatalogPage = 1000;

    public async Task ListAsync(HttpContext context)
    {
        var page = ApiPage.FromQuery(context);
        var filter = context.Request.Query["q"].ToString();
        var cancel = context.RequestAborted;
        // One more than the page: when it exists, the page is not the last one.
        var names = new List<string>();
        var catalog = grains.GetGrain<ICatalogGrain>(0);
        var after = page.Last;
        while (names.Count <= page.Size)
        {
            var batch = await catalog.ListAsync(after, filter.Length == 0 ? page.Size + 1 : CatalogPage);
            names.AddRange(batch.Where(n => n.Contains(filter, StringComparison.OrdinalIgnoreCase)).Take(page.Size + 1 - names.Count));
            if (batch.Count == 0 || batch.Count < (filter.Length == 0 ? page.Size + 1 : CatalogPage)) break;
            after = batch[^1];
        }
        var more = names.Count > page.Size;
        if (more) names.RemoveAt(names.Count - 1);

        var summaries = await Task.WhenAll(names.Select(n => grains.GetGrain<IRepositoryGrain>(n).GetSummaryAsync()));
        var snapshot = await inventory.GetAsync(cancel);
        var rows = new List<(string Name, RepositorySummary Summary, long Size)>();
        for (var i = 0; i < names.Count; i++)
        {
            // Emptied between the catalog read and now.
            if (summaries[i] is not { } summary) continue;
            rows.Add((names[i], summary, await inventory.TotalAsync(snapshot, summary.Digests, cancel)));
        }
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("repositories");
            foreach (var (name, summary, size) in rows) WriteSummary(json, name, summary, size);
            json.WriteEndArray();
            if (more) json.WriteString("next", names[^1]);
            else json.WriteNull("next");
            json.WriteEndObject();
        });
    }

    public async Task GetAsync(HttpContext context, RepositoryRoute route)
    {
        var summary = await grains.GetGrain<IRepositoryGrain>(route.Name).GetSummaryAsync() ?? throw UnknownRepository(route.Name);
        var snapshot = await inventory.GetAsync(context.RequestAborted);
        var size = await inventory.TotalAsync(snapshot, summary.Digests, context.RequestAborted);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json => WriteSummary(json, route.Name, summary, size));
    }

    public async Task DeleteAsync(HttpContext context, RepositoryRoute route)
    {
        var name = route.Name;
        var deletion = await grains.GetGrain<IRepositoryGrain>(name).DeleteRepositoryAsync() ?? throw UnknownRepository(name);
        // Links that the repository could not name (blobs uploaded there but used by no manifest) go at the next cycle.
        await grains.GetGrain<IGarbageCollectorGrain>(0).ForgetRepositoryAsync(name);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status202Accepted, json =>
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteNumber("deletedManifests", deletion.Manifests);
            json.WriteNumber("deletedTags", deletion.Tags);
            json.WriteNumber("unlinkedBlobs", deletion.UnlinkedBlobs);
            json.WriteEndObject();
        });
    }

    public static OciException UnknownRepository(string name) => new(OciErrorCode.NameUnknown, $"repository {name} is not known", name);

    private static void WriteSummary(Utf8JsonWriter json, string name, RepositorySummary summary, long size)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteNumber("tags", summary.Tags);
        json.WriteNumber("manifests", summary.Manifests);
        json.WriteNumber("sizeBytes", size);
        json.WriteString("lastPushedAt", summary.LastPushedAt.UtcDateTime);
        json.WriteEndObject();
    }
}
