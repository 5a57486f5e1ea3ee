using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Nscr.EndToEnd.Tests.Infrastructure;

namespace Nscr.EndToEnd.Tests.Cluster;

/// <summary>
/// An OCI image layout written directly (no buildah): a config and one layer of fresh random bytes, so many
/// distinct images can be pushed quickly. Clients copy layers as opaque blobs, so the layer need not be a tar; it is
/// gzipped because clients compress an uncompressed layer on push (which would change the manifest's digest).
/// </summary>
public static class RandomImage
{
    private const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";

    public static OciLayout Write(string directory, string tag, int layerBytes)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var content = Images.RandomBytes(layerBytes);
        var layer = Gzip(content);
        var config = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            architecture = "amd64",
            os = "linux",
            rootfs = new { type = "layers", diff_ids = new[] { RegistryClient.DigestOf(content) } },
        }));
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = RegistryClient.OciManifest,
            config = Descriptor("application/vnd.oci.image.config.v1+json", config),
            layers = new[] { Descriptor(LayerMediaType, layer) },
        }));
        foreach (var blob in new[] { layer, config, manifest })
        {
            File.WriteAllBytes(Path.Combine(blobs, RegistryClient.DigestOf(blob)["sha256:".Length..]), blob);
        }
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(directory, "index.json"), JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            manifests = new[]
            {
                new Dictionary<string, object>
                {
                    ["mediaType"] = RegistryClient.OciManifest,
                    ["digest"] = RegistryClient.DigestOf(manifest),
                    ["size"] = manifest.Length,
                    ["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag },
                },
            },
        }));
        return new OciLayout(directory);
    }

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }
        return buffer.ToArray();
    }

    private static object Descriptor(string mediaType, byte[] content) =>
        new { mediaType, digest = RegistryClient.DigestOf(content), size = content.Length };
}
