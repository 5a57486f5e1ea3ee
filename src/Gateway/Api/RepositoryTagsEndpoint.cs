using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>GET /api/repositories/&lt;name&gt;/tags</c> (<c>n</c>/<c>last</c> pagination): every tag with its digest, media type,
/// image size, platforms (an index) and push time. <c>DELETE /api/repositories/&lt;name&gt;/tags/&lt;tag&gt;</c> removes
/// one tag; the manifest stays (untagged, the GC collects it unless something else keeps it).
/// </summary>
public sealed class RepositoryTagsEndpoint(IGrainFactory grains, BlobInventory inventory, ManifestBodies bodies)
{
    public async Task ListAsync(HttpContext context, RepositoryRoute route)
    {
        var page = ApiPage.FromQuery(context);
        var cancel = context.RequestAborted;
        var views = await grains.GetGrain<IRepositoryGrain>(route.Name).ListTagViewsAsync(page.Last, page.Size + 1)
            ?? throw RepositoriesEndpoint.UnknownRepository(route.Name);
        var more = views.Count > page.Size;
        var shown = views.Take(page.Size).ToArray();
        var snapshot = await inventory.GetAsync(cancel);
        var rows = new List<(TagView View, long Size, IReadOnlyList<Descriptor> Platforms)>();
        foreach (var view in shown)
        {
            rows.Add((view, await inventory.TotalAsync(snapshot, view.Closure, cancel), await bodies.PlatformEntriesAsync(view.Manifest, cancel)));
        }
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("name", route.Name);
            json.WriteStartArray("tags");
            foreach (var (view, size, platforms) in rows)
            {
                json.WriteStartObject();
                json.WriteString("tag", view.Tag);
                json.WriteString("digest", view.Manifest.Digest.ToString());
                json.WriteString("mediaType", view.Manifest.MediaType);
                if (view.Manifest.ArtifactType is { } artifactType) json.WriteString("artifactType", artifactType);
                else json.WriteNull("artifactType");
                json.WriteNumber("sizeBytes", size);
                json.WriteStartArray("platforms");
                foreach (var platform in platforms)
                {
                    json.WriteStartObject();
                    ManifestBodies.WritePlatform(json, platform.Platform!);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteString("pushedAt", view.PushedAt.UtcDateTime);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (more) json.WriteString("next", shown[^1].Tag);
            else json.WriteNull("next");
            json.WriteEndObject();
        });
    }

    public async Task DeleteAsync(HttpContext context, RepositoryRoute route)
    {
        var tag = route.Argument!;
        if (!await grains.GetGrain<IRepositoryGrain>(route.Name).DeleteTagAsync(tag))
        {
            throw new OciException(OciErrorCode.ManifestUnknown, $"tag {tag} is not in repository {route.Name}", tag);
        }
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status202Accepted, json =>
        {
            json.WriteStartObject();
            json.WriteString("name", route.Name);
            json.WriteString("tag", tag);
            json.WriteEndObject();
        });
    }
}
