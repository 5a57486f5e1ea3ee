using System.Text;
using Nscr.EndToEnd.Tests.Infrastructure;

namespace Nscr.EndToEnd.Tests.WebUi;

/// <summary>Content for the web UI tests: real images pushed with skopeo, and hand-written manifests for odd values.</summary>
public static class UiImages
{
    /// <summary>Builds a fresh busybox image (new random layer) and exports it as an OCI layout tagged "v1".</summary>
    public static async Task<OciLayout> BuildLayoutAsync(TestScope scope, string name)
    {
        var storage = scope.NewStorage();
        var layouts = scope.NewTempDirectory("oci");
        var image = await Images.BuildAsync(storage, $"localhost/e2e/{name}:latest", scope.CancellationToken);
        return await Images.ExportAsync(storage, image, layouts.Combine(name), "v1", scope.CancellationToken);
    }

    public static Task PushAsync(RegistryProcess registry, OciLayout layout, string repository, string tag, CancellationToken ct) =>
        Skopeo.PushAsync(layout.ReferenceFor("v1"), $"docker://{registry.HostPort}/{repository}:{tag}", ct);

    /// <summary>An OCI image manifest (one small layer) carrying <paramref name="annotation"/> as a manifest annotation.</summary>
    public static async Task<string> PushAnnotatedAsync(RegistryProcess registry, string repository, string tag, string annotation, CancellationToken ct)
    {
        using var client = new RegistryClient(registry.BaseAddress);
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var layer = Images.RandomBytes(1024);
        var configDigest = await client.UploadBlobAsync(repository, config, ct);
        var layerDigest = await client.UploadBlobAsync(repository, layer, ct);
        var manifest = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = RegistryClient.OciManifest,
            ["config"] = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            ["layers"] = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar", digest = layerDigest, size = layer.Length } },
            ["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.description"] = annotation },
        });
        using var response = await client.PutManifestAsync(repository, tag, manifest, ct);
        await RegistryClient.ExpectAsync(response, System.Net.HttpStatusCode.Created);
        return RegistryClient.DigestOf(manifest);
    }

    /// <summary>An artifact manifest (an SBOM, say) whose subject is <paramref name="subjectDigest"/>: a referrer.</summary>
    public static async Task<string> PushReferrerAsync(RegistryProcess registry, string repository, string subjectDigest, string artifactType, CancellationToken ct)
    {
        using var client = new RegistryClient(registry.BaseAddress);
        var subject = await client.GetManifestAsync(repository, subjectDigest, ct);
        var empty = Encoding.UTF8.GetBytes("{}");
        var sbom = Encoding.UTF8.GetBytes("""{"spdxVersion":"SPDX-2.3"}""");
        var emptyDigest = await client.UploadBlobAsync(repository, empty, ct);
        var sbomDigest = await client.UploadBlobAsync(repository, sbom, ct);
        var manifest = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = RegistryClient.OciManifest,
            ["artifactType"] = artifactType,
            ["config"] = new { mediaType = "application/vnd.oci.empty.v1+json", digest = emptyDigest, size = empty.Length },
            ["layers"] = new[] { new { mediaType = "application/spdx+json", digest = sbomDigest, size = sbom.Length } },
            ["subject"] = new { mediaType = RegistryClient.OciManifest, digest = subjectDigest, size = subject.Body.Length },
        });
        var digest = RegistryClient.DigestOf(manifest);
        using var response = await client.PutManifestAsync(repository, digest, manifest, ct);
        await RegistryClient.ExpectAsync(response, System.Net.HttpStatusCode.Created);
        return digest;
    }

    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>A multi-arch image: one image manifest per architecture (linux), and an OCI index naming their platforms,
    /// tagged <paramref name="tag"/>. Returns the index's digest and the images' digests in the order of the architectures.</summary>
    public static async Task<(string Index, string[] Images)> PushMultiArchAsync(
        RegistryProcess registry, string repository, string tag, string[] architectures, CancellationToken ct)
    {
        using var client = new RegistryClient(registry.BaseAddress);
        var images = new List<(string Architecture, string Digest, int Size)>();
        foreach (var architecture in architectures)
        {
            var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"{{{architecture}}}","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
            var layer = Images.RandomBytes(1024);
            var configDigest = await client.UploadBlobAsync(repository, config, ct);
            var layerDigest = await client.UploadBlobAsync(repository, layer, ct);
            var manifest = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = RegistryClient.OciManifest,
                ["config"] = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
                ["layers"] = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar", digest = layerDigest, size = layer.Length } },
            });
            var digest = RegistryClient.DigestOf(manifest);
            using var response = await client.PutManifestAsync(repository, digest, manifest, ct);
            await RegistryClient.ExpectAsync(response, System.Net.HttpStatusCode.Created);
            images.Add((architecture, digest, manifest.Length));
        }
        var index = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciIndex,
            ["manifests"] = images.Select(i => new
            {
                mediaType = RegistryClient.OciManifest,
                digest = i.Digest,
                size = i.Size,
                platform = new { architecture = i.Architecture, os = "linux" },
            }).ToArray(),
        });
        using var put = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{tag}") { Content = new ByteArrayContent(index) };
        put.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(OciIndex);
        using (var response = await client.SendAsync(put, ct))
        {
            await RegistryClient.ExpectAsync(response, System.Net.HttpStatusCode.Created);
        }
        return (RegistryClient.DigestOf(index), images.Select(i => i.Digest).ToArray());
    }
}
