using System.Text.Json;
using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>GET /api/repositories/&lt;name&gt;/manifests/&lt;tag or digest&gt;</c>: inspects a manifest (the body, its tags, the
/// platforms of an index, config and layers of an image, total size, referrers). <c>DELETE …/manifests/&lt;digest&gt;</c>
/// deletes the manifest and every tag pointing to it.
/// </summary>
public sealed class RepositoryManifestsEndpoint(IGrainFactory grains, ManifestBodies bodies)
{
    public async Task GetAsync(HttpContext context, RepositoryRoute route)
    {
        var cancel = context.RequestAborted;
        var reference = Reference.Parse(route.Argument!);
        var repository = grains.GetGrain<IRepositoryGrain>(route.Name);
        var view = await repository.GetManifestViewAsync(reference) ?? throw await UnknownAsync(repository, route, reference);
        var manifest = view.Manifest;
        var body = await bodies.ReadAsync(manifest, cancel) ?? throw Unknown(route, reference);
        var content = await bodies.ParseAsync(manifest, cancel);
        var referrers = await repository.ReferrersAsync(manifest.Digest, null);
        var children = view.Children.Zip(view.ChildSizeBytes).ToDictionary(c => c.First.Digest, c => c.Second);

        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("name", route.Name);
            json.WriteString("digest", manifest.Digest.ToString());
            json.WriteString("mediaType", manifest.MediaType);
            NullableString(json, "artifactType", manifest.ArtifactType);
            json.WriteNumber("manifestSize", manifest.Size);
            json.WriteNumber("sizeBytes", view.SizeBytes);
            json.WriteString("pushedAt", manifest.PushedAt.UtcDateTime);
            json.WriteStartArray("tags");
            foreach (var tag in view.Tags) json.WriteStringValue(tag);
            json.WriteEndArray();
            NullableString(json, "subject", manifest.Subject?.ToString());
            json.WriteStartArray("platforms");
            foreach (var entry in content?.Manifests ?? [])
            {
                json.WriteStartObject();
                json.WriteString("digest", entry.Digest.ToString());
                json.WriteString("mediaType", entry.MediaType);
                json.WriteNumber("sizeBytes", children.GetValueOrDefault(entry.Digest, entry.Size));
                if (entry.Platform is { } platform) ManifestBodies.WritePlatform(json, platform);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WritePropertyName("config");
            if (content?.Config is { } config) WriteDescriptor(json, config);
            else json.WriteNullValue();
            json.WriteStartArray("layers");
            foreach (var layer in content?.Layers ?? []) WriteDescriptor(json, layer);
            json.WriteEndArray();
            json.WriteStartArray("referrers");
            foreach (var referrer in referrers)
            {
                WriteDescriptor(json, referrer);
            }
            json.WriteEndArray();
            json.WritePropertyName("manifest");
            json.WriteRawValue(body);
            json.WriteEndObject();
        });
    }

    public async Task DeleteAsync(HttpContext context, RepositoryRoute route)
    {
        var reference = Reference.Parse(route.Argument!);
        if (reference.Digest is not { } digest)
        {
            throw ApiException.InvalidParameter($"manifests are deleted by digest; delete tag {reference.Tag} with DELETE /api/repositories/{route.Name}/tags/{reference.Tag}");
        }
        var repository = grains.GetGrain<IRepositoryGrain>(route.Name);
        if (!await repository.DeleteManifestAsync(digest)) throw await UnknownAsync(repository, route, reference);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status202Accepted, json =>
        {
            json.WriteStartObject();
            json.WriteString("name", route.Name);
            json.WriteString("digest", digest.ToString());
            json.WriteEndObject();
        });
    }

    /// <summary>NAME_UNKNOWN when the repository holds nothing, else MANIFEST_UNKNOWN.</summary>
    private static async Task<OciException> UnknownAsync(IRepositoryGrain repository, RepositoryRoute route, Reference reference) =>
        await repository.GetSummaryAsync() is null ? RepositoriesEndpoint.UnknownRepository(route.Name) : Unknown(route, reference);

    private static OciException Unknown(RepositoryRoute route, Reference reference) =>
        new(OciErrorCode.ManifestUnknown, $"manifest {reference} is not in repository {route.Name}", reference.ToString());

    private static void WriteDescriptor(Utf8JsonWriter json, Descriptor descriptor)
    {
        json.WriteStartObject();
        json.WriteString("digest", descriptor.Digest.ToString());
        json.WriteString("mediaType", descriptor.MediaType);
        json.WriteNumber("size", descriptor.Size);
        if (descriptor.ArtifactType is { } artifactType) json.WriteString("artifactType", artifactType);
        if (descriptor.Annotations is { Count: > 0 } annotations)
        {
            json.WriteStartObject("annotations");
            foreach (var (key, value) in annotations) json.WriteString(key, value);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void NullableString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }
}
