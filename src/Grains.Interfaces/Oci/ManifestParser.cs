using System.Text.Json;

namespace Nscr.Oci;

/// <summary>Validates a manifest body against its declared media type and extracts what the registry tracks.</summary>
public static class ManifestParser
{
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowTrailingCommas = false };

    /// <param name="contentType">The request's Content-Type (may be empty).</param>
    public static ManifestContent Parse(ReadOnlyMemory<byte> body, string? contentType)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Options);
        }
        catch (JsonException e)
        {
            throw Invalid($"manifest is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid("manifest must be a JSON object");
            var declared = MediaTypes.Normalize(contentType);
            var bodyType = OptionalString(root, "mediaType");
            var mediaType = ResolveMediaType(declared, bodyType, root);
            if (!root.TryGetProperty("schemaVersion", out var schema) || schema.ValueKind != JsonValueKind.Number
                || !schema.TryGetInt32(out var version) || version != 2)
            {
                throw Invalid("schemaVersion must be 2");
            }
            var subject = root.TryGetProperty("subject", out var s) && s.ValueKind != JsonValueKind.Null ? ParseDescriptor(s, "subject") : null;
            var artifactType = OptionalString(root, "artifactType");
            var annotations = ParseAnnotations(root);
            if (MediaTypes.IsIndex(mediaType))
            {
                var manifests = RequiredArray(root, "manifests").Select(m => ParseDescriptor(m, "manifests[]")).ToArray();
                return new ManifestContent(mediaType, null, [], manifests, subject, artifactType, annotations);
            }
            if (!root.TryGetProperty("config", out var config)) throw Invalid("image manifest requires a config descriptor");
            var layers = root.TryGetProperty("layers", out var l) && l.ValueKind == JsonValueKind.Array
                ? l.EnumerateArray().Select(x => ParseDescriptor(x, "layers[]")).ToArray()
                : mediaType == MediaTypes.DockerManifest ? throw Invalid("layers must be an array") : [];
            return new ManifestContent(mediaType, ParseDescriptor(config, "config"), layers, [], subject, artifactType, annotations);
        }
    }

    private static string ResolveMediaType(string declared, string? bodyType, JsonElement root)
    {
        var generic = declared is "" or "application/json" or MediaTypes.OctetStream;
        if (!generic && !MediaTypes.IsManifest(declared))
        {
            throw Invalid($"unsupported manifest media type '{Digest.Truncate(declared)}'");
        }
        if (bodyType is not null && !generic && bodyType != declared)
        {
            throw Invalid($"manifest mediaType '{Digest.Truncate(bodyType)}' does not match Content-Type '{declared}'");
        }
        var type = !generic ? declared
            : bodyType ?? (root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest);
        if (!MediaTypes.IsManifest(type)) throw Invalid($"unsupported manifest media type '{Digest.Truncate(type)}'");
        // A body must look like what its media type says, or a client could not parse what it pulls.
        if (MediaTypes.IsIndex(type) && root.TryGetProperty("config", out _)) throw Invalid("an index has no config");
        if (MediaTypes.IsImageManifest(type) && root.TryGetProperty("manifests", out _)) throw Invalid("an image manifest has no manifests list");
        return type;
    }

    private static Descriptor ParseDescriptor(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Invalid($"{where} must be a descriptor object");
        var mediaType = OptionalString(element, "mediaType") ?? throw Invalid($"{where} has no mediaType");
        var digestText = OptionalString(element, "digest") ?? throw Invalid($"{where} has no digest");
        if (!Digest.TryParse(digestText, out var digest))
        {
            throw new OciException(OciErrorCode.DigestInvalid, $"{where} has an invalid digest '{Digest.Truncate(digestText)}'");
        }
        if (!element.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind != JsonValueKind.Number
            || !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw Invalid($"{where} has no valid size");
        }
        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            platform = new Platform(OptionalString(p, "os") ?? "", OptionalString(p, "architecture") ?? "", OptionalString(p, "variant"));
        }
        var hasUrls = element.TryGetProperty("urls", out var urls) && urls.ValueKind == JsonValueKind.Array && urls.GetArrayLength() > 0;
        return new Descriptor(mediaType, digest, size)
        {
            ArtifactType = OptionalString(element, "artifactType"),
            Annotations = ParseAnnotations(element),
            Platform = platform,
            HasUrls = hasUrls,
        };
    }

    private static Dictionary<string, string>? ParseAnnotations(JsonElement element)
    {
        if (!element.TryGetProperty("annotations", out var a) || a.ValueKind == JsonValueKind.Null) return null;
        if (a.ValueKind != JsonValueKind.Object) throw Invalid("annotations must be an object of strings");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in a.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String) throw Invalid("annotation values must be strings");
            result[property.Name] = property.Value.GetString()!;
        }
        return result;
    }

    private static IEnumerable<JsonElement> RequiredArray(JsonElement element, string name) =>
        element.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().ToArray()
            : throw Invalid($"{name} must be an array");

    private static string? OptionalString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"{name} must be a string");
    }

    private static OciException Invalid(string message) => new(OciErrorCode.ManifestInvalid, message);
}
