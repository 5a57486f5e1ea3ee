using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nscr.Cli.Tests.Infrastructure;

public sealed record PushedBlob(string Digest, long Size, string MediaType);

public sealed record PushedManifest(string Digest, long Size, string MediaType);

/// <summary>Pushes test images with the OCI API (monolithic blob uploads, manifest PUTs), like a registry client would.</summary>
public sealed class ImagePusher(HttpClient http)
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    private const string ConfigType = "application/vnd.oci.image.config.v1+json";
    private const string LayerType = "application/vnd.oci.image.layer.v1.tar+gzip";

    public async Task<PushedBlob> PushBlobAsync(string repository, byte[] content, string mediaType = LayerType)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        using var response = await http.PostAsync($"v2/{repository}/blobs/uploads/?digest={digest}", new ByteArrayContent(content));
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"blob upload answered {response.StatusCode}");
        return new PushedBlob(digest, content.Length, mediaType);
    }

    public static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    /// <summary>An image: a config and the given layers (pushed to <paramref name="repository"/> first).</summary>
    public async Task<PushedManifest> PushImageAsync(string repository, string? tag, IReadOnlyList<byte[]> layers, string architecture = "amd64", object? subject = null)
    {
        var config = await PushBlobAsync(repository, Encoding.UTF8.GetBytes($"{{\"architecture\":\"{architecture}\",\"os\":\"linux\",\"n\":\"{Guid.NewGuid()}\"}}"), ConfigType);
        var pushed = new List<PushedBlob>();
        foreach (var layer in layers) pushed.Add(await PushBlobAsync(repository, layer));
        var manifest = new Dictionary<string, object?>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciManifest,
            ["config"] = Descriptor(config),
            ["layers"] = pushed.Select(Descriptor).ToArray(),
        };
        if (subject is not null)
        {
            manifest["subject"] = subject;
            manifest["artifactType"] = "application/vnd.example.sbom";
        }
        return await PushManifestAsync(repository, tag, JsonSerializer.SerializeToUtf8Bytes(manifest), OciManifest);
    }

    /// <summary>An index of the given images with linux/amd64 and linux/arm64/v8 platforms.</summary>
    public Task<PushedManifest> PushIndexAsync(string repository, string tag, PushedManifest amd64, PushedManifest arm64)
    {
        var index = new
        {
            schemaVersion = 2,
            mediaType = OciIndex,
            manifests = new object[]
            {
                new { mediaType = amd64.MediaType, digest = amd64.Digest, size = amd64.Size, platform = new { os = "linux", architecture = "amd64" } },
                new { mediaType = arm64.MediaType, digest = arm64.Digest, size = arm64.Size, platform = new { os = "linux", architecture = "arm64", variant = "v8" } },
            },
        };
        return PushManifestAsync(repository, tag, JsonSerializer.SerializeToUtf8Bytes(index), OciIndex);
    }

    public static object SubjectOf(PushedManifest manifest) => new { mediaType = manifest.MediaType, digest = manifest.Digest, size = manifest.Size };

    private async Task<PushedManifest> PushManifestAsync(string repository, string? tag, byte[] body, string mediaType)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        using var response = await http.PutAsync($"v2/{repository}/manifests/{tag ?? digest}", content);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"manifest PUT answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return new PushedManifest(digest, body.Length, mediaType);
    }

    private static object Descriptor(PushedBlob blob) => new { mediaType = blob.MediaType, digest = blob.Digest, size = blob.Size };
}
