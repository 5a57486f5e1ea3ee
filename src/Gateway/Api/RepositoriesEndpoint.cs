using System.Text.Json;
using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>/api/repositories</c>: GET lists repositories (see <see cref="RepositoryListQuery"/>: filter, sort, pages) with
/// their tag and manifest counts, size (unique and shared), last push and last pull, one page read from the rows;
/// <c>GET /api/repositories/&lt;name&gt;</c> gives one, through its grain (so its last pull includes pulls not written yet);
/// <c>DELETE /api/repositories/&lt;name&gt;</c> answers 202 once every tag and manifest is gone and the repository has
/// left the catalog (its blob links are removed; the bytes nobody else uses go at the next GC cycle).
/// </summary>
public sealed class RepositoriesEndpoint(IGrainFactory grains)
{
    public async Task ListAsync(HttpContext context)
    {
        var request = RepositoryListQuery.FromQuery(context);
        var page = await grains.GetGrain<ICatalogGrain>(0).ListRepositoriesAsync(request);
        // Name order keeps its cursor (next, Link), which the CLI follows; every order also pages with offset and total.
        var next = page.More && request.Sort == RepositorySort.Name ? page.Repositories[^1].Name : null;
        if (next is not null) context.Response.Headers.Link = ApiPage.NextLink(context, "/api/repositories", next);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("repositories");
            foreach (var row in page.Repositories) WriteSummary(json, row);
            json.WriteEndArray();
            if (next is not null) json.WriteString("next", next);
            else json.WriteNull("next");
            json.WriteNumber("offset", page.Start);
            json.WriteNumber("total", page.Total);
            json.WriteEndObject();
        });
    }

    public async Task GetAsync(HttpContext context, RepositoryRoute route)
    {
        var repository = await grains.GetGrain<IRepositoryGrain>(route.Name).GetSummaryAsync() ?? throw UnknownRepository(route.Name);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json => WriteSummary(json, repository));
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

    private static void WriteSummary(Utf8JsonWriter json, RepositorySummary repository)
    {
        json.WriteStartObject();
        json.WriteString("name", repository.Name);
        json.WriteNumber("tags", repository.Tags);
        json.WriteNumber("manifests", repository.Manifests);
        json.WriteNumber("sizeBytes", repository.SizeBytes);
        json.WriteNumber("uniqueBytes", repository.UniqueBytes);
        json.WriteNumber("sharedBytes", repository.SharedBytes);
        json.WriteString("lastPushedAt", repository.LastPushedAt.UtcDateTime);
        ApiResponses.WriteTime(json, "lastPulledAt", repository.LastPulledAt);
        json.WriteEndObject();
    }
}
