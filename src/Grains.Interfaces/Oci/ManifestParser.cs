using System.Text.Json;
using System.Text.Unicode;

namespace Nscr.Oci;

/// <summary>Validates a manifest body against its declared media type and extracts what the registry tracks.</summary>
public static class ManifestParser
{
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    // Duplicate keys are refused: parsers that keep the first and the last would see different references.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowTrailingCommas = false, AllowDuplicateProperties = false };

    /// <param name="contentType">The request's Content-Type (may be empty).</param>
    public static ManifestContent Parse(ReadOnlyMemory<byte> body, string? contentType)
    {
        // JSON text is UTF-8 (RFC 8259); the reader alone lets invalid sequences through inside strings.
        if (!Utf8.IsValid(body.Span)) throw Invalid("manifest is not valid UTF-8");
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
            var bodyType = OptionalString(root, "mediaType", "mediaType");
            var mediaType = ResolveMediaType(declared, bodyType, root);
            if (!root.TryGetProperty("schemaVersion", out var schema) || schema.ValueKind != JsonValueKind.Number
                || !schema.TryGetInt32(out var version) || version != 2)
            {
                throw Invalid("schemaVersion must be 2");
            }
            var subject = root.TryGetProperty("subject", out var s) && s.ValueKind != JsonValueKind.Null ? ParseDescriptor(s, "subject") : null;
            var artifactType = OptionalString(root, "artifactType", "artifactType");
            var annotations = ParseAnnotations(root, "annotations");
            if (MediaTypes.IsIndex(mediaType))
            {
                var manifests = DescriptorArray(root, "manifests", required: true);
                return new ManifestContent(mediaType, null, [], manifests, subject, artifactType, annotations);
            }
            if (!root.TryGetProperty("config", out var config)) throw Invalid("image manifest requires a config descriptor");
            // An OCI artifact may leave layers out; Docker schema2 always lists them.
            var layers = DescriptorArray(root, "layers", required: mediaType == MediaTypes.DockerManifest);
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
        var mediaType = OptionalString(element, "mediaType", where) ?? throw Invalid($"{where} has no mediaType");
        var digestText = OptionalString(element, "digest", where) ?? throw Invalid($"{where} has no digest");
        if (!Digest.TryParse(digestText, out var digest))
        {
            throw new OciException(OciErrorCode.DigestInvalid, $"{where} has an invalid digest '{Digest.Truncate(digestText)}'");
        }
        if (!element.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind != JsonValueKind.Number
            || !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw Invalid($"{where}.size must be a non-negative integer");
        }
        return new Descriptor(mediaType, digest, size)
        {
            ArtifactType = OptionalString(element, "artifactType", where),
            Annotations = ParseAnnotations(element, $"{where}.annotations"),
            Platform = ParsePlatform(element, $"{where}.platform"),
            HasUrls = ParseUrls(element, $"{where}.urls") > 0,
        };
    }

    private static Platform? ParsePlatform(JsonElement descriptor, string where)
    {
        if (!descriptor.TryGetProperty("platform", out var p) || p.ValueKind == JsonValueKind.Null) return null;
        if (p.ValueKind != JsonValueKind.Object) throw Invalid($"{where} must be an object");
        return new Platform(OptionalString(p, "os", where) ?? "", OptionalString(p, "architecture", where) ?? "", OptionalString(p, "variant", where));
    }

    /// <summary>The number of URLs a (non-distributable) descriptor lists.</summary>
    private static int ParseUrls(JsonElement descriptor, string where)
    {
        if (!descriptor.TryGetProperty("urls", out var urls) || urls.ValueKind == JsonValueKind.Null) return 0;
        if (urls.ValueKind != JsonValueKind.Array || urls.EnumerateArray().Any(u => u.ValueKind != JsonValueKind.String))
        {
            throw Invalid($"{where} must be an array of strings");
        }
        return urls.GetArrayLength();
    }

    private static Dictionary<string, string>? ParseAnnotations(JsonElement element, string where)
    {
        if (!element.TryGetProperty("annotations", out var a) || a.ValueKind == JsonValueKind.Null) return null;
        if (a.ValueKind != JsonValueKind.Object) throw Invalid($"{where} must be an object of strings");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in a.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String) throw Invalid($"{where} values must be strings");
            result[property.Name] = property.Value.GetString()!;
        }
        return result;
    }

    /// <summary>The descriptors of an array field; absent (or null) is empty unless <paramref name="required"/>.</summary>
    private static Descriptor[] DescriptorArray(JsonElement element, string name, bool required)
    {
        if (!element.TryGetProperty(name, out var a) || a.ValueKind == JsonValueKind.Null)
        {
            return required ? throw Invalid($"{name} must be an array") : [];
        }
        if (a.ValueKind != JsonValueKind.Array) throw Invalid($"{name} must be an array");
        return a.EnumerateArray().Select((d, i) => ParseDescriptor(d, $"{name}[{i}]")).ToArray();
    }

    private static string? OptionalString(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var field = where == name ? name : $"{where}.{name}";
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"{field} must be a string");
    }

    private static OciException Invalid(string message) => new(OciErrorCode.ManifestInvalid, message);
}
