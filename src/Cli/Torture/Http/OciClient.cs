using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Nscr.Cli.Torture.Content;

namespace Nscr.Cli.Torture.Http;

public sealed record ManifestRead(byte[] Body, string? MediaType, string? DigestHeader);

public sealed record BlobRead(string Digest, long Length);

/// <summary>A manifest PUT refused because something it references is missing: the OCI error code and the message.</summary>
public sealed record ManifestRefusal(string Code, string Message);

/// <summary>The OCI Distribution calls the torture makes. Every answer the protocol does not allow at that point
/// throws <see cref="RegistryResponseException"/>; answers the caller must judge come back as values.</summary>
public sealed partial class OciClient(RegistryHttp http)
{
    /// <summary>OCI error codes with which a registry may legally refuse a manifest whose blobs or children
    /// a concurrent garbage collection deleted: the client uploads again and retries.</summary>
    public static readonly IReadOnlySet<string> MissingContentCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "MANIFEST_BLOB_UNKNOWN", "MANIFEST_UNKNOWN", "BLOB_UNKNOWN",
    };

    private static readonly string[] ManifestMediaTypes =
    [
        MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList,
    ];

    public async Task<bool> BlobExistsAsync(string repository, Descriptor blob, CancellationToken cancellationToken)
    {
        const string operation = "HEAD blob";
        using var response = await http.SendAsync(operation, new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{blob.Digest}"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        if (response.StatusCode != HttpStatusCode.OK) throw await RegistryResponseException.FromAsync(operation, response, cancellationToken);
        if (response.Content.Headers.ContentLength is { } length && length != blob.Size)
        {
            throw new RegistryResponseException(operation, response.StatusCode, null, $"{blob.Digest} has Content-Length {length}, not {blob.Size}");
        }
        return true;
    }

    /// <summary>Streams a blob through SHA-256; null when the registry answers 404.</summary>
    public async Task<BlobRead?> ReadBlobAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        const string operation = "GET blob";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{digest}");
        using var response = await http.SendAsync(operation, request, cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (response.StatusCode != HttpStatusCode.OK) throw await RegistryResponseException.FromAsync(operation, response, cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long length = 0;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new RegistryTransportException(operation, e);
        }
        http.Stats.AddPulled(length);
        return new BlobRead("sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    /// <summary>GET of a manifest by tag or digest; null when the registry answers 404.</summary>
    public async Task<ManifestRead?> ReadManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        const string operation = "GET manifest";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        foreach (var type in ManifestMediaTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await http.SendAsync(operation, request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (response.StatusCode != HttpStatusCode.OK) throw await RegistryResponseException.FromAsync(operation, response, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        http.Stats.AddPulled(body.Length);
        var digestHeader = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        return new ManifestRead(body, response.Content.Headers.ContentType?.MediaType, digestHeader);
    }

    /// <summary>HEAD of a manifest by digest: true when present (200), false on 404.</summary>
    public async Task<bool> ManifestExistsAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        const string operation = "HEAD manifest";
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{reference}");
        foreach (var type in ManifestMediaTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await http.SendAsync(operation, request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        if (response.StatusCode != HttpStatusCode.OK) throw await RegistryResponseException.FromAsync(operation, response, cancellationToken);
        return true;
    }

    /// <summary>PUT of a manifest: null when created (201), else the refusal when its error code is listed in
    /// <see cref="MissingContentCodes"/>; anything else throws.</summary>
    public async Task<ManifestRefusal?> PutManifestAsync(string repository, string reference, Blob manifest, CancellationToken cancellationToken)
    {
        const string operation = "PUT manifest";
        var content = new ByteArrayContent(manifest.Bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{reference}") { Content = content };
        using var response = await http.SendAsync(operation, request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            http.Stats.AddPushed(manifest.Bytes.Length);
            var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
            if (digest is not null && digest != manifest.Digest)
            {
                throw new RegistryResponseException(operation, response.StatusCode, null, $"Docker-Content-Digest {digest}, expected {manifest.Digest}");
            }
            return null;
        }
        var error = await RegistryResponseException.FromAsync(operation, response, cancellationToken);
        if (!error.IsServerError && error.Code is { } code && MissingContentCodes.Contains(code)) return new ManifestRefusal(code, error.Message);
        throw error;
    }

    /// <summary>DELETE of a manifest by tag or digest: true when accepted (202), false when unknown (404).</summary>
    public async Task<bool> DeleteManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        const string operation = "DELETE manifest";
        using var response = await http.SendAsync(operation, new HttpRequestMessage(HttpMethod.Delete, $"v2/{repository}/manifests/{reference}"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted) return true;
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        throw await RegistryResponseException.FromAsync(operation, response, cancellationToken);
    }

    /// <summary>Every tag of a repository; null when the registry does not know the repository (404).</summary>
    public async Task<IReadOnlyList<string>?> ListTagsAsync(string repository, CancellationToken cancellationToken)
    {
        const string operation = "GET tags/list";
        var tags = new List<string>();
        string? next = $"v2/{repository}/tags/list?n=1000";
        while (next is not null)
        {
            using var response = await http.SendAsync(operation, new HttpRequestMessage(HttpMethod.Get, next), cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound && tags.Count == 0) return null;
            if (response.StatusCode != HttpStatusCode.OK) throw await RegistryResponseException.FromAsync(operation, response, cancellationToken);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            if (document.RootElement.TryGetProperty("tags", out var page) && page.ValueKind == JsonValueKind.Array)
            {
                tags.AddRange(page.EnumerateArray().Select(t => t.GetString() ?? ""));
            }
            next = NextLink(response);
        }
        return tags;
    }

    /// <summary>Digests of the manifests whose subject is <paramref name="subject"/>.</summary>
    public async Task<IReadOnlyList<string>> ListReferrersAsync(string repository, string subject, CancellationToken cancellationToken)
    {
        const string operation = "GET referrers";
        using var response = await http.SendAsync(operation, new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/referrers/{subject}"), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK) throw await RegistryResponseException.FromAsync(operation, response, cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        if (!document.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
        {
            throw new RegistryResponseException(operation, response.StatusCode, null, "the referrers index has no manifests array");
        }
        return manifests.EnumerateArray()
            .Select(m => m.TryGetProperty("digest", out var d) ? d.GetString() ?? "" : "")
            .ToList();
    }

    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links)
        {
            var start = link.IndexOf('<');
            var end = link.IndexOf('>');
            if (start >= 0 && end > start && link.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                return link[(start + 1)..end].TrimStart('/');
            }
        }
        return null;
    }
}
