using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>GET /api/repositories/&lt;name&gt;/tags</c> (<c>n</c>/<c>last</c> pagination): every tag with its digest, media type,
/// image size (<c>uniqueBytes</c>: what no other tag, here or in another repository, stands on; <c>sharedBytes</c>: the
/// rest), platforms (an index), push and last pull times and referrers (signatures, SBOMs, attestations). The page is
/// read by key range from the rows by the repository's grain (see <see cref="IRepositoryGrain.ListTagViewsAsync"/>). <c>DELETE /api/repositories/&lt;name&gt;/tags/&lt;tag&gt;</c> removes
/// one tag; the manifest stays (untagged, the GC collects it unless something else keeps it).
/// </summary>
public sealed class RepositoryTagsEndpoint(IGrainFactory grains, ManifestBodies bodies)
{
    public async Task ListAsync(HttpContext context, RepositoryRoute route)
    {
        var page = ApiPage.FromQuery(context);
        var cancel = context.RequestAborted;
        var views = await grains.GetGrain<IRepositoryGrain>(route.Name).ListTagViewsAsync(page.Last, page.Size + 1)
            ?? throw RepositoriesEndpoint.UnknownRepository(route.Name);
        var more = views.Count > page.Size;
        var shown = views.Take(page.Size).ToArray();
        var rows = new List<(TagView View, IReadOnlyList<Descriptor> Platforms)>();
        foreach (var view in shown) rows.Add((view, await bodies.PlatformEntriesAsync(view.Manifest, cancel)));
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("name", route.Name);
            json.WriteStartArray("tags");
            foreach (var (view, platforms) in rows)
            {
                json.WriteStartObject();
                json.WriteString("tag", view.Tag);
                json.WriteString("digest", view.Manifest.Digest.ToString());
                json.WriteString("mediaType", view.Manifest.MediaType);
                if (view.Manifest.ArtifactType is { } artifactType) json.WriteString("artifactType", artifactType);
                else json.WriteNull("artifactType");
                json.WriteNumber("sizeBytes", view.SizeBytes);
                json.WriteNumber("uniqueBytes", view.UniqueBytes);
                json.WriteNumber("sharedBytes", view.SizeBytes - view.UniqueBytes);
                json.WriteStartArray("platforms");
                foreach (var platform in platforms)
                {
                    json.WriteStartObject();
                    ManifestBodies.WritePlatform(json, platform.Platform!);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteString("pushedAt", view.PushedAt.UtcDateTime);
                ApiResponses.WriteTime(json, "lastPulledAt", view.LastPulledAt);
                json.WriteStartArray("referrers");
                foreach (var referrer in view.Referrers) WriteReferrer(json, referrer);
                json.WriteEndArray();
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

    private static void WriteReferrer(System.Text.Json.Utf8JsonWriter json, Descriptor referrer)
    {
        json.WriteStartObject();
        json.WriteString("digest", referrer.Digest.ToString());
        if (referrer.ArtifactType is { } artifactType) json.WriteString("artifactType", artifactType);
        else json.WriteNull("artifactType");
        json.WriteString("mediaType", referrer.MediaType);
        json.WriteNumber("sizeBytes", referrer.Size);
        json.WriteStartObject("annotations");
        foreach (var (key, value) in referrer.Annotations ?? new Dictionary<string, string>()) json.WriteString(key, value);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
