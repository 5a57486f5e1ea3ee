using System.Net;
using System.Net.Http.Headers;
using Nscr.Cli.Torture.Content;

namespace Nscr.Cli.Torture.Http;

/// <summary>The blob upload flows of the OCI spec: monolithic POST, POST then PUT, chunked PATCH, mount, cancel.</summary>
public sealed partial class OciClient
{
    /// <summary>One request: <c>POST /blobs/uploads/?digest=</c> with the bytes.</summary>
    public async Task PushMonolithicAsync(string repository, Blob blob, CancellationToken cancellationToken)
    {
        const string operation = "POST blob (monolithic)";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/?digest={blob.Digest}") { Content = Octets(blob.Bytes, 0, blob.Bytes.Length) };
        using var response = await http.SendAsync(operation, request, cancellationToken);
        await RegistryHttp.ExpectAsync(operation, response, HttpStatusCode.Created, cancellationToken);
        http.Stats.AddPushed(blob.Bytes.Length);
    }

    /// <summary>Two requests: <c>POST</c> opens a session, <c>PUT ?digest=</c> carries every byte.</summary>
    public async Task PushPostPutAsync(string repository, Blob blob, CancellationToken cancellationToken)
    {
        var location = await StartUploadAsync(repository, cancellationToken);
        await FinishUploadAsync(location, blob, Octets(blob.Bytes, 0, blob.Bytes.Length), cancellationToken);
    }

    /// <summary><c>POST</c>, one <c>PATCH</c> per chunk with its <c>Content-Range</c>, then an empty <c>PUT ?digest=</c>.</summary>
    public async Task PushChunkedAsync(string repository, Blob blob, int chunkSize, CancellationToken cancellationToken)
    {
        const string operation = "PATCH upload chunk";
        var location = await StartUploadAsync(repository, cancellationToken);
        for (var offset = 0; offset < blob.Bytes.Length; offset += chunkSize)
        {
            var length = Math.Min(chunkSize, blob.Bytes.Length - offset);
            var content = Octets(blob.Bytes, offset, length);
            content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
            using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
            using var response = await http.SendAsync(operation, request, cancellationToken);
            await RegistryHttp.ExpectAsync(operation, response, HttpStatusCode.Accepted, cancellationToken);
            var range = response.Headers.TryGetValues("Range", out var values) ? values.FirstOrDefault() : null;
            if (range != $"0-{offset + length - 1}")
            {
                throw new RegistryResponseException(operation, response.StatusCode, null, $"Range '{range}' after {offset + length} bytes");
            }
            location = Location(operation, response);
        }
        await FinishUploadAsync(location, blob, null, cancellationToken);
    }

    /// <summary>Cross-repository mount: true when mounted (201); on 202 the opened session is cancelled and false returned.</summary>
    public async Task<bool> TryMountAsync(string repository, string digest, string from, CancellationToken cancellationToken)
    {
        const string operation = "POST blob (mount)";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/?mount={digest}&from={from}") { Content = Octets([], 0, 0) };
        using var response = await http.SendAsync(operation, request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Created) return true;
        await RegistryHttp.ExpectAsync(operation, response, HttpStatusCode.Accepted, cancellationToken);
        await CancelUploadAsync(Location(operation, response), cancellationToken);
        return false;
    }

    /// <summary>Opens a session, sends part of <paramref name="blob"/>, cancels it and checks the session is gone.</summary>
    public async Task AbandonUploadAsync(string repository, Blob blob, CancellationToken cancellationToken)
    {
        const string operation = "PATCH upload (to cancel)";
        var location = await StartUploadAsync(repository, cancellationToken);
        var length = Math.Max(1, blob.Bytes.Length / 2);
        using (var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = Octets(blob.Bytes, 0, length) })
        using (var response = await http.SendAsync(operation, request, cancellationToken))
        {
            await RegistryHttp.ExpectAsync(operation, response, HttpStatusCode.Accepted, cancellationToken);
            location = Location(operation, response);
        }
        await CancelUploadAsync(location, cancellationToken);
        const string status = "GET upload status (cancelled)";
        using var check = await http.SendAsync(status, new HttpRequestMessage(HttpMethod.Get, location), cancellationToken);
        await RegistryHttp.ExpectAsync(status, check, HttpStatusCode.NotFound, cancellationToken);
    }

    private async Task<Uri> StartUploadAsync(string repository, CancellationToken cancellationToken)
    {
        const string operation = "POST upload";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/") { Content = Octets([], 0, 0) };
        using var response = await http.SendAsync(operation, request, cancellationToken);
        await RegistryHttp.ExpectAsync(operation, response, HttpStatusCode.Accepted, cancellationToken);
        return Location(operation, response);
    }

    private async Task FinishUploadAsync(Uri location, Blob blob, HttpContent? body, CancellationToken cancellationToken)
    {
        const string operation = "PUT upload";
        var separator = location.Query.Length > 0 ? '&' : '?';
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{location}{separator}digest={blob.Digest}") { Content = body ?? Octets([], 0, 0) };
        using var response = await http.SendAsync(operation, request, cancellationToken);
        await RegistryHttp.ExpectAsync(operation, response, HttpStatusCode.Created, cancellationToken);
        http.Stats.AddPushed(blob.Bytes.Length);
    }

    private async Task CancelUploadAsync(Uri location, CancellationToken cancellationToken)
    {
        const string operation = "DELETE upload";
        using var response = await http.SendAsync(operation, new HttpRequestMessage(HttpMethod.Delete, location), cancellationToken);
        await RegistryHttp.ExpectAsync(operation, response, HttpStatusCode.NoContent, cancellationToken);
    }

    /// <summary>The upload's Location, absolute (registries may answer with a path).</summary>
    private Uri Location(string operation, HttpResponseMessage response) =>
        response.Headers.Location is { } location
            ? location.IsAbsoluteUri ? location : new Uri(http.BaseAddress, location)
            : throw new RegistryResponseException(operation, response.StatusCode, null, "no Location header");

    private static ByteArrayContent Octets(byte[] bytes, int offset, int count)
    {
        var content = new ByteArrayContent(bytes, offset, count);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
