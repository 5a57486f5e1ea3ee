using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Nscr.Scale;

/// <summary>A blob's bytes with their digest.</summary>
public sealed record Blob(byte[] Bytes, string Digest)
{
    public static Blob Of(byte[] bytes) => new(bytes, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));
}

/// <summary>One image: its blobs (config first) and the manifest that lists them.</summary>
public sealed record Image(Blob Config, IReadOnlyList<Blob> Layers, byte[] Manifest, string Digest);

/// <summary>
/// Deterministic content: every byte is derived from the seed and a label (SHA-256 in counter mode), so two runs with
/// the same seed push the same blobs and manifests to both registries, and a phase can recompute any digest.
/// </summary>
public sealed class Content(string seed, int layerBytes)
{
    public const string ManifestType = "application/vnd.oci.image.manifest.v1+json";

    private const string ConfigType = "application/vnd.oci.image.config.v1+json";

    // Uncompressed layers: the diff_id of the config is then the layer's own digest.
    private const string LayerType = "application/vnd.oci.image.layer.v1.tar";

    public Blob Layer(string label) => Blob.Of(Bytes(label, layerBytes));

    public static Blob Config(string label, IEnumerable<Blob> layers)
    {
        var diffIds = string.Join(',', layers.Select(l => $"\"{l.Digest}\""));
        return Blob.Of(Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"amd64","os":"linux","config":{"Labels":{"nscr.scale":"{{{label}}}"}},"rootfs":{"type":"layers","diff_ids":[{{{diffIds}}}]}}"""));
    }

    /// <summary>An OCI image manifest; <paramref name="annotation"/> tells apart manifests that share every blob.</summary>
    public static Image Image(Blob config, IReadOnlyList<Blob> layers, string? annotation = null)
    {
        var layerJson = string.Join(',', layers.Select(Descriptor(LayerType)));
        var annotations = annotation is null ? "" : $$""","annotations":{"nscr.scale":"{{annotation}}"}""";
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{{Descriptor(ConfigType)(config)}},"layers":[{{layerJson}}]{{annotations}}}""");
        return new Image(config, layers, manifest, Blob.Of(manifest).Digest);
    }

    private static Func<Blob, string> Descriptor(string mediaType) =>
        blob => $$"""{"mediaType":"{{mediaType}}","digest":"{{blob.Digest}}","size":{{blob.Bytes.Length}}}""";

    private byte[] Bytes(string label, int length)
    {
        var prefix = Encoding.UTF8.GetBytes($"{seed}/{label}/");
        var input = new byte[prefix.Length + sizeof(int)];
        prefix.CopyTo(input, 0);
        var output = new byte[length];
        Span<byte> block = stackalloc byte[SHA256.HashSizeInBytes];
        for (var (offset, counter) = (0, 0); offset < length; offset += block.Length, counter++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(prefix.Length), counter);
            SHA256.HashData(input, block);
            block[..Math.Min(block.Length, length - offset)].CopyTo(output.AsSpan(offset));
        }
        return output;
    }
}
