using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>Plain HTTP calls of the distribution API, for what the clients cannot do on cue
/// (stop half-way through an upload, fire manifest PUTs while the server dies).</summary>
public sealed class RegistryClient(Uri baseAddress) : IDisposable
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>POST a new upload session; returns its absolute Location.</summary>
    public async Task<Uri> StartUploadAsync(string repository, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"v2/{repository}/blobs/uploads/", null, cancellationToken);
        await ExpectAsync(response, HttpStatusCode.Accepted);
        return LocationOf(response);
    }

    /// <summary>POST then PUT with the whole content; returns the digest.</summary>
    public async Task<string> UploadBlobAsync(string repository, byte[] content, CancellationToken cancellationToken)
    {
        var digest = DigestOf(content);
        var location = await StartUploadAsync(repository, cancellationToken);
        using var put = new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest))
        {
            Content = new ByteArrayContent(content),
        };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await _http.SendAsync(put, cancellationToken);
        await ExpectAsync(response, HttpStatusCode.Created);
        return digest;
    }

    public async Task<HttpResponseMessage> PutManifestAsync(
        string repository, string reference, byte[] manifest, CancellationToken cancellationToken)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{reference}")
        {
            Content = new ByteArrayContent(manifest),
        };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(OciManifest);
        return await _http.SendAsync(put, cancellationToken);
    }

    /// <summary>GET a manifest, accepting every manifest media type.</summary>
    public async Task<(HttpStatusCode Status, byte[] Body, string? Digest)> GetManifestAsync(
        string repository, string reference, CancellationToken cancellationToken)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        foreach (var mediaType in new[]
                 {
                     OciManifest, "application/vnd.oci.image.index.v1+json",
                     "application/vnd.docker.distribution.manifest.v2+json",
                     "application/vnd.docker.distribution.manifest.list.v2+json",
                 })
        {
            get.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }
        using var response = await _http.SendAsync(get, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.Single() : null;
        return (response.StatusCode, body, digest);
    }

    public async Task<HttpResponseMessage> HeadBlobAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{digest}");
        return await _http.SendAsync(head, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"v2/{repository}/tags/list?n=10000", cancellationToken);
        await ExpectAsync(response, HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return json.RootElement.GetProperty("tags") is { ValueKind: JsonValueKind.Array } tags
            ? tags.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [];
    }

    /// <summary>The first error code of an OCI error body ("MANIFEST_UNKNOWN", ...), or null.</summary>
    public static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString();
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or IndexOutOfRangeException
                                              or InvalidOperationException)
        {
            return null;
        }
    }

    public Uri LocationOf(HttpResponseMessage response) =>
        response.Headers.Location is { } location
            ? new Uri(_http.BaseAddress!, location)
            : throw new InvalidOperationException($"{(int)response.StatusCode} without Location");

    public static Uri WithDigest(Uri location, string digest) =>
        new(location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest));

    public static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, " +
                $"got {(int)response.StatusCode}: {body}");
        }
    }

    public void Dispose() => _http.Dispose();
}
