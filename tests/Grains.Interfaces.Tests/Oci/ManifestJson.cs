using System.Text;
using System.Text.Json.Nodes;
using Nscr.Oci;

namespace Nscr.Grains.Interfaces.Tests.Oci;

/// <summary>Builds manifest documents for parser tests.</summary>
internal static class ManifestJson
{
    public const string ConfigType = "application/vnd.oci.image.config.v1+json";
    public const string LayerType = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string DockerConfigType = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerType = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    public static Digest DigestOf(string seed) => Digest.Compute(Encoding.UTF8.GetBytes(seed));

    public static JsonObject Descriptor(string mediaType, Digest digest, long size) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = digest.ToString(),
        ["size"] = size,
    };

    public static JsonObject Image(string? mediaType = MediaTypes.OciManifest, string configType = ConfigType, int layers = 2)
    {
        var manifest = new JsonObject { ["schemaVersion"] = 2 };
        if (mediaType is not null) manifest["mediaType"] = mediaType;
        manifest["config"] = Descriptor(configType, DigestOf("config"), 123);
        var array = new JsonArray();
        for (var i = 0; i < layers; i++) array.Add(Descriptor(LayerType, DigestOf($"layer{i}"), 1000 + i));
        manifest["layers"] = array;
        return manifest;
    }

    public static JsonObject Index(string? mediaType = MediaTypes.OciIndex, string childType = MediaTypes.OciManifest, int children = 2)
    {
        var index = new JsonObject { ["schemaVersion"] = 2 };
        if (mediaType is not null) index["mediaType"] = mediaType;
        var array = new JsonArray();
        for (var i = 0; i < children; i++)
        {
            var child = Descriptor(childType, DigestOf($"child{i}"), 500 + i);
            child["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = i == 0 ? "amd64" : "arm64", ["variant"] = i == 0 ? null : "v8" };
            array.Add(child);
        }
        index["manifests"] = array;
        return index;
    }

    public static ReadOnlyMemory<byte> Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
