using Nscr.Grains;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>GET /api/usage</c> (<c>n</c>/<c>last</c> pagination, name order): storage per repository (<c>sizeBytes</c> =
/// everything its manifests stand on; <c>uniqueBytes</c> = what no other repository uses, i.e. what deleting it would
/// give back; <c>sharedBytes</c> = the rest) and registry totals, including the stored bytes no manifest references
/// (what GC cycles past the grace reclaim). The first page's totals are taken when it is asked for; later pages may
/// reuse them (at most <see cref="RegistryFigures.MaxAge"/> old), so following the pages costs one pass, not one each.
/// </summary>
public sealed class UsageEndpoint(IGrainFactory grains, RegistryFigures figures)
{
    public async Task GetAsync(HttpContext context)
    {
        var cancel = context.RequestAborted;
        var page = ApiPage.FromQuery(context);
        var maxAge = page.Last is null ? TimeSpan.Zero : RegistryFigures.MaxAge;
        var catalog = grains.GetGrain<ICatalogGrain>(0);
        var listRead = catalog.ListRepositoriesAsync(new RepositoryListRequest("", RepositorySort.Name, false, page.Size, page.Last, 0));
        var countsRead = catalog.CountAsync();
        var storedRead = figures.Stored.TakeAsync(maxAge, cancel);
        var sharedRead = figures.SharedBytes.TakeAsync(maxAge, cancel);
        var (list, counts, stored, shared) = (await listRead, await countsRead, await storedRead, (await sharedRead).Value);
        var blobs = stored.Value;
        var next = list.More ? list.Repositories[^1].Name : null;
        if (next is not null) context.Response.Headers.Link = ApiPage.NextLink(context, "/api/usage", next);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("repositories");
            foreach (var repository in list.Repositories)
            {
                json.WriteStartObject();
                json.WriteString("name", repository.Name);
                json.WriteNumber("blobs", repository.Digests);
                json.WriteNumber("sizeBytes", repository.SizeBytes);
                json.WriteNumber("uniqueBytes", repository.UniqueBytes);
                json.WriteNumber("sharedBytes", repository.SharedBytes);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (next is not null) json.WriteString("next", next);
            else json.WriteNull("next");
            json.WriteStartObject("totals");
            json.WriteNumber("repositories", counts.Repositories);
            json.WriteNumber("storedBlobs", blobs.Blobs);
            json.WriteNumber("storedBytes", blobs.Bytes);
            json.WriteNumber("referencedBytes", blobs.ReferencedBytes);
            json.WriteNumber("uniqueBytes", Math.Max(0, blobs.ReferencedBytes - shared));
            json.WriteNumber("sharedBytes", shared);
            json.WriteNumber("unreferencedBlobs", blobs.UnreferencedBlobs);
            json.WriteNumber("unreferencedBytes", blobs.UnreferencedBytes);
            json.WriteEndObject();
            json.WriteString("listedAt", stored.TakenAt.UtcDateTime);
            json.WriteEndObject();
        });
    }
}
