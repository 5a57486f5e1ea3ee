using System.Net;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Infrastructure;

/// <summary>Upload-session requests as clients send them: chunks with the OCI <c>Content-Range: start-end</c> form.</summary>
public static class Uploads
{
    public static Task<HttpResponseMessage> PatchAsync(this RegistryClient client, string location, byte[] chunk, string? contentRange) =>
        client.SendAsync(HttpMethod.Patch, location, RegistryClient.Octets(chunk), r =>
        {
            if (contentRange is not null) r.Content!.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        });

    public static Task<HttpResponseMessage> PatchChunkAsync(this RegistryClient client, string location, byte[] chunk, long start) =>
        client.PatchAsync(location, chunk, $"{start}-{start + chunk.Length - 1}");

    /// <summary>Closes a session with <c>PUT ?digest=</c>, optionally carrying a final chunk.</summary>
    public static Task<HttpResponseMessage> CompleteAsync(this RegistryClient client, string location, Digest digest, byte[]? finalChunk = null, string? contentRange = null) =>
        client.SendAsync(HttpMethod.Put, WithQuery(location, $"digest={digest}"), finalChunk is null ? null : RegistryClient.Octets(finalChunk), r =>
        {
            if (contentRange is not null) r.Content!.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        });

    public static string WithQuery(string location, string query) => location + (location.Contains('?') ? "&" : "?") + query;

    /// <summary>The upload id: the last segment of an upload Location.</summary>
    public static string SessionId(string location) => new Uri(new Uri("http://x"), location).AbsolutePath.Split('/')[^1];

    public static async Task AssertProgressAsync(HttpResponseMessage response, HttpStatusCode status, string location, long received)
    {
        await OciAssert.StatusAsync(status, response);
        Assert.Equal(new Uri(new Uri("http://x"), location).AbsolutePath, response.Headers.Location?.ToString());
        Assert.Equal($"0-{Math.Max(0, received - 1)}", OciAssert.Header(response, "Range"));
        Assert.Equal(SessionId(location), OciAssert.Header(response, "Docker-Upload-UUID"));
    }
}
