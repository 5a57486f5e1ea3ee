using System.Text.Json;
using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>/api/repositories</c>: GET lists repositories (see <see cref="RepositoryListQuery"/>: filter, sort, pages) with
/// their tag and manifest counts, size (unique and shared), last push and last pull, from a <see cref="Census"/>;
/// <c>GET /api/repositories/&lt;name&gt;</c> gives one;
/// <c>DELETE /api/repositories/&lt;name&gt;</c> answers 202 once every tag and manifest is gone and the repository has
/// left the catalog (its blob links are removed; the bytes nobody else uses go at the next GC cycle).
/// </summary>
public sealed class RepositoriesEndpoint(IGrainFactory grains, RegistryCensus census)
{
    public async Task ListAsync(HttpContext context)
    {
        var query = RepositoryListQuery.FromQuery(context);
        var usage = await census.TakeAsync(context.RequestAborted);
        var ordered = query.Apply(usage.Repositories);
        var (rows, start, more) = query.Paginate(ordered);
        // Name order keeps its cursor (next, Link), which the CLI follows; every order also pages with offset and total.
        var next = more && query.Sort == RepositorySort.Name ? rows[^1].Name : null;
        if (next is not null) context.Response.Headers.Link = NextLink(context, next);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("repositories");
            foreach (var row in rows) WriteSummary(json, row);
            json.WriteEndArray();
            if (next is not null) json.WriteString("next", next);
            else json.WriteNull("next");
            json.WriteNumber("offset", start);
            json.WriteNumber("total", ordered.Count);
            json.WriteEndObject();
        });
    }

    /// <summary>The same query with <c>last</c> set to the cursor (RFC 8288, as <c>/v2/_catalog</c> does).</summary>
    private static string NextLink(HttpContext context, string next)
    {
        var parameters = context.Request.Query
            .Where(p => p.Key is not ("last" or "offset"))
            .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"last={Uri.EscapeDataString(next)}");
        return $"</api/repositories?{string.Join('&', parameters)}>; rel=\"next\"";
    }

    public async Task GetAsync(HttpContext context, RepositoryRoute route)
    {
        var usage = await census.TakeAsync(context.RequestAborted);
        var repository = usage.Repositories.FirstOrDefault(r => r.Name == route.Name) ?? throw UnknownRepository(route.Name);
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

    private static void WriteSummary(Utf8JsonWriter json, RepositoryUsage repository)
    {
        var summary = repository.Summary;
        json.WriteStartObject();
        json.WriteString("name", repository.Name);
        json.WriteNumber("tags", summary.Tags);
        json.WriteNumber("manifests", summary.Manifests);
        json.WriteNumber("sizeBytes", repository.SizeBytes);
        json.WriteNumber("uniqueBytes", repository.UniqueBytes);
        json.WriteNumber("sharedBytes", repository.SharedBytes);
        json.WriteString("lastPushedAt", summary.LastPushedAt.UtcDateTime);
        ApiResponses.WriteTime(json, "lastPulledAt", summary.LastPulledAt);
        json.WriteEndObject();
    }
}
