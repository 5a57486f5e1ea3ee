using System.Text.Json;

namespace Nscr.Cli.Torture.Content;

/// <summary>Writes image manifests, indexes and configs as JSON bytes (the bytes that are pushed and hashed).</summary>
public static class ManifestWriter
{
    public sealed record Platform(string Architecture, string Os = "linux");

    public static Blob Image(
        string mediaType,
        Descriptor config,
        IEnumerable<Descriptor> layers,
        Descriptor? subject = null,
        string? artifactType = null,
        IReadOnlyDictionary<string, string>? annotations = null) => Write(mediaType, json =>
    {
        json.WriteNumber("schemaVersion", 2);
        json.WriteString("mediaType", mediaType);
        if (artifactType is not null) json.WriteString("artifactType", artifactType);
        WriteDescriptor(json, "config", config);
        json.WriteStartArray("layers");
        foreach (var layer in layers) WriteDescriptor(json, null, layer);
        json.WriteEndArray();
        if (subject is not null) WriteDescriptor(json, "subject", subject);
        WriteAnnotations(json, annotations);
    });

    public static Blob Index(string mediaType, IEnumerable<(Descriptor Manifest, Platform Platform)> manifests) => Write(mediaType, json =>
    {
        json.WriteNumber("schemaVersion", 2);
        json.WriteString("mediaType", mediaType);
        json.WriteStartArray("manifests");
        foreach (var (manifest, platform) in manifests)
        {
            json.WriteStartObject();
            WriteDescriptorFields(json, manifest);
            json.WriteStartObject("platform");
            json.WriteString("architecture", platform.Architecture);
            json.WriteString("os", platform.Os);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    });

    /// <summary>An image config; <paramref name="nonce"/> makes every config, hence every manifest, unique.</summary>
    public static Blob Config(string mediaType, Platform platform, IEnumerable<string> diffIds, string nonce) => Write(mediaType, json =>
    {
        json.WriteString("architecture", platform.Architecture);
        json.WriteString("os", platform.Os);
        json.WriteStartObject("config");
        json.WriteStartArray("Labels");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("rootfs");
        json.WriteString("type", "layers");
        json.WriteStartArray("diff_ids");
        foreach (var id in diffIds) json.WriteStringValue(id);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteString("comment", $"nscr torture {nonce}");
    });

    private static Blob Write(string mediaType, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return new Blob(mediaType, stream.ToArray());
    }

    private static void WriteDescriptor(Utf8JsonWriter json, string? name, Descriptor descriptor)
    {
        if (name is null) json.WriteStartObject();
        else json.WriteStartObject(name);
        WriteDescriptorFields(json, descriptor);
        json.WriteEndObject();
    }

    private static void WriteDescriptorFields(Utf8JsonWriter json, Descriptor descriptor)
    {
        json.WriteString("mediaType", descriptor.MediaType);
        json.WriteString("digest", descriptor.Digest);
        json.WriteNumber("size", descriptor.Size);
    }

    private static void WriteAnnotations(Utf8JsonWriter json, IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is not { Count: > 0 }) return;
        json.WriteStartObject("annotations");
        foreach (var (key, value) in annotations) json.WriteString(key, value);
        json.WriteEndObject();
    }
}
