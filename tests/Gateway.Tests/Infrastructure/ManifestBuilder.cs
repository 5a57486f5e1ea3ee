using System.Text.Json.Nodes;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Infrastructure;

/// <summary>A blob or manifest as a descriptor refers to it.</summary>
public sealed record BlobRef(string MediaType, Digest Digest, long Size)
{
    public JsonObject ToJson() => new() { ["mediaType"] = MediaType, ["digest"] = Digest.ToString(), ["size"] = Size };
}

/// <summary>Builds manifest and index documents.</summary>
public static class ManifestBuilder
{
    public const string OciConfigType = "application/vnd.oci.image.config.v1+json";
    public const string OciLayerType = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string DockerConfigType = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerType = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>The OCI empty descriptor's content: <c>{}</c>.</summary>
    public static readonly byte[] EmptyJson = "{}"u8.ToArray();

    public static BlobRef EmptyConfig => new(MediaTypes.OciEmpty, Digest.Compute(EmptyJson), EmptyJson.Length);

    public static JsonObject Image(
        BlobRef config,
        IEnumerable<BlobRef> layers,
        string mediaType = MediaTypes.OciManifest,
        string? artifactType = null,
        BlobRef? subject = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var manifest = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = mediaType };
        if (artifactType is not null) manifest["artifactType"] = artifactType;
        manifest["config"] = config.ToJson();
        manifest["layers"] = new JsonArray(layers.Select(l => (JsonNode)l.ToJson()).ToArray());
        if (subject is not null) manifest["subject"] = subject.ToJson();
        if (annotations is not null) manifest["annotations"] = Annotations(annotations);
        return manifest;
    }

    public static JsonObject Index(
        IEnumerable<BlobRef> manifests,
        string mediaType = MediaTypes.OciIndex,
        string? artifactType = null,
        BlobRef? subject = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = mediaType };
        if (artifactType is not null) index["artifactType"] = artifactType;
        var children = new JsonArray();
        var architectures = new[] { "amd64", "arm64", "s390x", "ppc64le" };
        var i = 0;
        foreach (var manifest in manifests)
        {
            var child = manifest.ToJson();
            child["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = architectures[i++ % architectures.Length] };
            children.Add(child);
        }
        index["manifests"] = children;
        if (subject is not null) index["subject"] = subject.ToJson();
        if (annotations is not null) index["annotations"] = Annotations(annotations);
        return index;
    }

    /// <summary>Serialised with indentation, so a registry that re-serialised it would change the bytes.</summary>
    public static byte[] Bytes(JsonNode manifest) =>
        TestContent.Utf8(manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

    private static JsonObject Annotations(IReadOnlyDictionary<string, string> annotations)
    {
        var result = new JsonObject();
        foreach (var (key, value) in annotations) result[key] = value;
        return result;
    }
}
