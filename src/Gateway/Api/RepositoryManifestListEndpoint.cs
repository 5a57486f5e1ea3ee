using Nscr.Grains;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>GET /api/repositories/&lt;name&gt;/manifests</c>: every manifest of the repository, tagged or not (children of
/// indexes, referrers, untagged leftovers), in digest order, with its tags, image size, push and last pull times and
/// subject, and the indexes it is part of (such a manifest cannot be deleted before them); so untagged manifests
/// can be found and deleted. All of them unless <c>n</c> is given, then pages with
/// <c>n</c>/<c>last</c> (a digest) like the other lists.
/// </summary>
public sealed class RepositoryManifestListEndpoint(IGrainFactory grains)
{
    public async Task ListAsync(HttpContext context, RepositoryRoute route)
    {
        var views = await grains.GetGrain<IRepositoryGrain>(route.Name).ListManifestViewsAsync()
            ?? throw RepositoriesEndpoint.UnknownRepository(route.Name);
        var paged = context.Request.Query.ContainsKey("n") || context.Request.Query.ContainsKey("last");
        var page = ApiPage.FromQuery(context);
        var after = views.SkipWhile(v => page.Last is { } last && string.CompareOrdinal(v.Manifest.Digest.ToString(), last) <= 0).ToArray();
        var shown = paged ? after.Take(page.Size).ToArray() : after;
        var more = shown.Length < after.Length;
        var indexes = views
            .SelectMany(parent => parent.Manifest.Children.Select(child => (child, parent: parent.Manifest.Digest)))
            .ToLookup(link => link.child, link => link.parent);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("name", route.Name);
            json.WriteStartArray("manifests");
            for (var i = 0; i < shown.Length; i++)
            {
                var view = shown[i];
                var manifest = view.Manifest;
                json.WriteStartObject();
                json.WriteString("digest", manifest.Digest.ToString());
                json.WriteString("mediaType", manifest.MediaType);
                if (manifest.ArtifactType is { } artifactType) json.WriteString("artifactType", artifactType);
                else json.WriteNull("artifactType");
                json.WriteNumber("sizeBytes", view.SizeBytes);
                json.WriteStartArray("tags");
                foreach (var tag in view.Tags) json.WriteStringValue(tag);
                json.WriteEndArray();
                json.WriteStartArray("indexes");
                foreach (var index in indexes[manifest.Digest]) json.WriteStringValue(index.ToString());
                json.WriteEndArray();
                json.WriteString("pushedAt", manifest.PushedAt.UtcDateTime);
                ApiResponses.WriteTime(json, "lastPulledAt", view.LastPulledAt);
                if (manifest.Subject is { } subject) json.WriteString("subject", subject.ToString());
                else json.WriteNull("subject");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (more) json.WriteString("next", shown[^1].Manifest.Digest.ToString());
            else json.WriteNull("next");
            json.WriteNumber("total", views.Count);
            json.WriteEndObject();
        });
    }
}
