using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Infrastructure;

public sealed record PushedManifest(string Repository, Digest Digest, byte[] Body, string MediaType)
{
    public BlobRef Ref => new(MediaType, Digest, Body.Length);
}

public sealed record PushedImage(PushedManifest Manifest, BlobRef Config, IReadOnlyList<BlobRef> Layers)
{
    public Digest Digest => Manifest.Digest;
}

/// <summary>A real HTTP client of the registry with the push steps tests need, each asserting its success status.</summary>
public sealed class RegistryClient(Uri baseAddress) : IDisposable
{
    public HttpClient Http { get; } = NoServerErrorsHandler.CreateClient(baseAddress);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        configure?.Invoke(request);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<HttpResponseMessage> HeadAsync(string path) => SendAsync(HttpMethod.Head, path);

    public Task<HttpResponseMessage> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    /// <summary>Uploads a blob with a single <c>POST ?digest=</c>.</summary>
    public async Task<BlobRef> PushBlobAsync(string repository, byte[] content, string mediaType = ManifestBuilder.OciLayerType)
    {
        var digest = Digest.Compute(content);
        using var response = await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={digest}", Octets(content));
        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        return new BlobRef(mediaType, digest, content.Length);
    }

    public Task<BlobRef> PushRandomBlobAsync(string repository, int size = 1024, string mediaType = ManifestBuilder.OciLayerType) =>
        PushBlobAsync(repository, TestContent.RandomBytes(size), mediaType);

    /// <summary>Pushes a unique config and one 2000-byte random layer (Docker or OCI media types): the parts of an image.</summary>
    public async Task<(BlobRef Config, BlobRef Layer)> PushConfigAndLayerAsync(string repository, bool docker = false)
    {
        var config = await PushBlobAsync(repository, TestContent.Utf8($"{{\"id\":\"{Guid.NewGuid()}\"}}"),
            docker ? ManifestBuilder.DockerConfigType : ManifestBuilder.OciConfigType);
        var layer = await PushRandomBlobAsync(repository, 2000, docker ? ManifestBuilder.DockerLayerType : ManifestBuilder.OciLayerType);
        return (config, layer);
    }

    /// <summary>Starts an upload session; returns its Location.</summary>
    public async Task<string> StartUploadAsync(string repository)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/", Octets([]));
        await OciAssert.StatusAsync(HttpStatusCode.Accepted, response);
        return response.Headers.Location!.ToString();
    }

    public Task<HttpResponseMessage> PutManifestAsync(string repository, string reference, byte[] body, string mediaType) =>
        SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{reference}", Content(body, mediaType));

    public async Task<PushedManifest> PushManifestAsync(string repository, string reference, byte[] body, string mediaType)
    {
        using var response = await PutManifestAsync(repository, reference, body, mediaType);
        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        return new PushedManifest(repository, Digest.Compute(body), body, mediaType);
    }

    /// <summary>Pushes a config, <paramref name="layers"/> random layers and an OCI image manifest referring to them.</summary>
    public async Task<PushedImage> PushImageAsync(
        string repository,
        string? tag,
        int layers = 1,
        string mediaType = MediaTypes.OciManifest,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var docker = mediaType == MediaTypes.DockerManifest;
        var config = await PushBlobAsync(repository, TestContent.Utf8(JsonSerializer.Serialize(new { architecture = "amd64", os = "linux", id = Guid.NewGuid() })),
            docker ? ManifestBuilder.DockerConfigType : ManifestBuilder.OciConfigType);
        var pushed = new List<BlobRef>();
        for (var i = 0; i < layers; i++)
        {
            pushed.Add(await PushRandomBlobAsync(repository, 512 + i, docker ? ManifestBuilder.DockerLayerType : ManifestBuilder.OciLayerType));
        }
        var body = ManifestBuilder.Bytes(ManifestBuilder.Image(config, pushed, mediaType, annotations: annotations));
        var manifest = await PushManifestAsync(repository, tag ?? Digest.Compute(body).ToString(), body, mediaType);
        return new PushedImage(manifest, config, pushed);
    }

    public static ByteArrayContent Octets(byte[] content) => Content(content, MediaTypes.OctetStream);

    public static ByteArrayContent Content(byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    public void Dispose() => Http.Dispose();
}
