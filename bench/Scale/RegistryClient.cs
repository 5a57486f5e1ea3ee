using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Nscr.Scale;

/// <summary>An answer the phase did not expect: the phase stops and reports it.</summary>
public sealed class UnexpectedAnswerException(string message) : Exception(message);

/// <summary>One GET of a page: its latency, status, body and the next page's path (RFC 8288 <c>Link</c>), if any.</summary>
public sealed record PageAnswer(HttpStatusCode Status, double Milliseconds, string Body, string? Next);

/// <summary>The raw OCI calls of the benchmark over one pooled HTTP/1.1 client (keep-alive, a connection per worker).</summary>
public sealed class RegistryClient : IDisposable
{
    private readonly HttpClient http;

    public RegistryClient(Uri registry, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        http = new HttpClient(handler) { BaseAddress = registry, Timeout = TimeSpan.FromMinutes(5) };
    }

    /// <summary>Monolithic upload: POST a session, PUT the bytes to its location with <c>?digest=</c>.</summary>
    public async Task UploadAsync(string repository, Blob blob, CancellationToken cancellationToken)
    {
        using var start = await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/", null, HttpStatusCode.Accepted, cancellationToken);
        var location = start.Headers.Location ?? throw new UnexpectedAnswerException($"upload to {repository}: 202 without Location");
        var target = location.ToString();
        target += (target.Contains('?') ? "&" : "?") + "digest=" + Uri.EscapeDataString(blob.Digest);
        var body = new ByteArrayContent(blob.Bytes);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await SendAsync(HttpMethod.Put, target, body, HttpStatusCode.Created, cancellationToken);
    }

    /// <summary>Cross-repository mount; only 201 counts (a 202 would mean the registry wants the bytes again).</summary>
    public async Task MountAsync(string repository, string digest, string from, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync(HttpMethod.Post,
            $"/v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(from)}",
            null, HttpStatusCode.Created, cancellationToken);
    }

    /// <summary>PUTs the manifest under <paramref name="tag"/>; the milliseconds it took.</summary>
    public async Task<double> PutManifestAsync(string repository, string tag, Image image, CancellationToken cancellationToken)
    {
        var body = new ByteArrayContent(image.Manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(Content.ManifestType);
        var started = Stopwatch.GetTimestamp();
        using var answer = await SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{tag}", body, HttpStatusCode.Created, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (answer.Headers.TryGetValues("Docker-Content-Digest", out var digests) && !digests.Contains(image.Digest))
        {
            throw new UnexpectedAnswerException($"PUT {repository}:{tag}: digest {string.Join(",", digests)}, expected {image.Digest}");
        }
        return elapsed;
    }

    public async Task<double> DeleteManifestAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var answer = await SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{digest}", null, HttpStatusCode.Accepted, cancellationToken);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>A GET timed until its whole body is read; any status is returned, the caller decides.</summary>
    public async Task<PageAnswer> GetPageAsync(string path, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var answer = await http.GetAsync(path, cancellationToken);
        var body = await answer.Content.ReadAsStringAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new PageAnswer(answer.StatusCode, elapsed, body, NextLink(answer));
    }

    /// <summary>A POST whose JSON answer is returned with its latency (the admin API's GC).</summary>
    public async Task<PageAnswer> PostAsync(string path, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var answer = await SendAsync(HttpMethod.Post, path, null, expected, cancellationToken);
        var body = await answer.Content.ReadAsStringAsync(cancellationToken);
        return new PageAnswer(answer.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, body, null);
    }

    public void Dispose() => http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? body, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        var answer = await http.SendAsync(request, cancellationToken);
        if (answer.StatusCode == expected) return answer;
        var text = await answer.Content.ReadAsStringAsync(cancellationToken);
        answer.Dispose();
        throw new UnexpectedAnswerException($"{method} {path}: {(int)answer.StatusCode}, expected {(int)expected}: {text[..Math.Min(text.Length, 300)]}");
    }

    /// <summary>The target of <c>Link: &lt;…&gt;; rel="next"</c>, if the answer has one.</summary>
    private static string? NextLink(HttpResponseMessage answer)
    {
        if (!answer.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links)
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open >= 0 && close > open && link.Contains("rel=\"next\"", StringComparison.Ordinal)) return link[(open + 1)..close];
        }
        return null;
    }
}
