using System.Net.Sockets;
using System.Text;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Gateway.Tests.Security;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Fuzz;

/// <summary>What the seeded registry holds, so the fuzzer can aim near it without ever sending a valid destructive request.</summary>
public sealed record FuzzTarget(Uri Server, HttpClient Http, IReadOnlyList<string> Repositories, IReadOnlyList<string> Tags, IReadOnlyList<Digest> Blobs);

/// <summary>Malformed requests, one category at a time, drawn from a seeded Random. Nothing here deletes or creates a
/// tag, manifest or blob when it works as the spec says: DELETE never names something stored, every digest sent
/// with bytes is wrong, every manifest is invalid or references missing blobs.</summary>
public sealed class FuzzRequests(FuzzTarget target, Random random)
{
    private static readonly string[] Methods = ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "TRACE", "FOO", "get", "PROPFIND"];

    private static readonly string[] HostileNames =
    [
        "../etc", "a/../../b", "%2e%2e/a", "a%2Fb", "a%5cb", "a\\b", "a%00b", "A/B", "a//b", "a/", "-a", "a..b", "a__b/c",
        "%C3%A9t%C3%A9", "%ZZ", "%", "a%20b", "a b", "_catalog", "v2", "a/blobs/uploads", "a/manifests", ".", "..", "a/./b",
    ];

    private static readonly string[] ContentRanges =
    [
        "", "0-", "-1-5", "5-2", "bytes 0-9/5", "0-9223372036854775807", "abc", "0-0,1-2", "1-10", "0-99", "bytes=0-9", "0-9/*", "%31-%32", " 0 - 9 ",
        "99999999999999999999-1", "0-9 ",
    ];

    private static readonly string[] ContentTypes =
    [
        "", "text/html", "application/json", "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json", "multipart/form-data; boundary=x", "application/octet-stream; x=\"",
        "*/*", "application/vnd.oci.image.manifest.v1+json; charset=utf-8",
    ];

    public static readonly (string Category, int Weight)[] Categories =
    [
        ("odd-path", 30), ("bad-headers", 15), ("length-mismatch", 7), ("truncated-upload", 5), ("wrong-digest", 12),
        ("oversized-manifest", 1), ("invalid-manifest", 15), ("missing-blobs", 8), ("random-body", 7),
    ];

    public async Task<FuzzResult> NextAsync(CancellationToken cancellationToken)
    {
        var roll = random.Next(Categories.Sum(c => c.Weight));
        var category = Categories.First(c => (roll -= c.Weight) < 0).Category;
        return category switch
        {
            "odd-path" => await OddPathAsync(category, cancellationToken),
            "bad-headers" => await BadHeadersAsync(category, cancellationToken),
            "length-mismatch" => await LengthMismatchAsync(category, cancellationToken),
            "truncated-upload" => await TruncatedAsync(category, cancellationToken),
            "wrong-digest" => await WrongDigestAsync(category, cancellationToken),
            "oversized-manifest" => await RawAsync(category, $"PUT /v2/{Pick(target.Repositories)}/manifests/{NewTag()} HTTP/1.1\r\nContent-Type: {MediaTypes.OciManifest}",
                Bytes(ManifestParser.MaxManifestBytes + 1 + random.Next(1024 * 1024)), cancellationToken),
            "invalid-manifest" => await SendAsync(category, HttpMethod.Put, $"/v2/{Pick(target.Repositories)}/manifests/{NewTag()}", InvalidManifest(), Pick(ContentTypes), null, cancellationToken),
            "missing-blobs" => await SendAsync(category, HttpMethod.Put, $"/v2/{Pick(target.Repositories)}/manifests/{NewTag()}", ManifestWithMissingBlobs(), MediaTypes.OciManifest, null, cancellationToken),
            _ => await SendAsync(category, new HttpMethod(Pick(["PUT", "POST", "PATCH", "GET"])), RandomRoute(), Bytes(random.Next(0, 4096)), Pick(ContentTypes), null, cancellationToken),
        };
    }

    private Task<FuzzResult> OddPathAsync(string category, CancellationToken cancellationToken)
    {
        var path = OddTarget();
        // The admin API acts on whole repositories: only reads are aimed at it.
        var method = path.StartsWith("/api/", StringComparison.Ordinal) ? Pick(["GET", "HEAD"]) : Pick(Methods);
        return RawAsync(category, $"{method} {path} HTTP/1.1", Bytes(random.Next(3) == 0 ? random.Next(1, 200) : 0), cancellationToken);
    }

    private string OddTarget()
    {
        var name = random.Next(4) switch
        {
            0 => Pick(HostileNames),
            1 => string.Join('/', Enumerable.Repeat("a", random.Next(1, 200))),
            2 => new string('a', random.Next(200, 3000)),
            _ => Pick(target.Repositories) + Pick(["", "/..", "%2F..", "/%2e", "\\x", "%00"]),
        };
        var suffix = random.Next(9) switch
        {
            0 => $"manifests/{Pick(["latest", "%2e%2e", "sha256:xyz", "md5:d41d8cd98f00b204e9800998ecf8427e", new string('t', 200), "-x", ".hidden", "a%00"])}",
            1 => $"blobs/{Pick(["sha256:" + new string('g', 64), "sha384:" + new string('a', 96), "..", Pick(target.Blobs).ToString().ToUpperInvariant()])}",
            2 => "blobs/uploads/",
            3 => $"blobs/uploads/{Pick(["..", "a.b", new string('u', 65), "%2e%2e%2fetc", "x?digest=sha256:0"])}",
            4 => $"tags/list?n={Pick(["-1", "abc", "99999999999", "", "1e9"])}&last={Pick(["..", "%00", "\u00e9", ""])}",
            5 => $"referrers/{Pick(["sha256:abc", Pick(target.Blobs).ToString()])}?artifactType={Pick(["%00", "a/b", ""])}",
            6 => "",
            7 => "_catalog?n=-5&last=%2e%2e",
            _ => Pick(["manifests", "blobs", "tags", "referrers/", "blobs/uploads/a/b"]),
        };
        var prefix = random.Next(10) == 0 ? Pick(["/api/repositories/", "/api/gc/", "/V2/", "//v2/", "/v2//", "/v2/%2e%2e/", "/v3/"]) : "/v2/";
        return prefix + name + "/" + suffix;
    }

    private async Task<FuzzResult> BadHeadersAsync(string category, CancellationToken cancellationToken)
    {
        var location = await StartUploadAsync(cancellationToken);
        var body = Bytes(random.Next(0, 300));
        var method = Pick([HttpMethod.Patch, HttpMethod.Put, HttpMethod.Get]);
        var path = method == HttpMethod.Put ? $"{location}?digest={RandomDigest()}" : location;
        if (method == HttpMethod.Get && random.Next(2) == 0)
        {
            // A ranged read of a stored blob: reads are allowed to succeed (200/206/416).
            path = $"/v2/{target.Repositories[0]}/blobs/{Pick(target.Blobs)}";
        }
        return await SendAsync(category, method, path, body, Pick(ContentTypes), request =>
        {
            request.Headers.TryAddWithoutValidation("Range", Pick(["bytes=5-3", "bytes=-", "bytes=0-1,3-4", "bytes=--5", "bytes=99999999999-", "items=0-1", "bytes=0-0"]));
            request.Content?.Headers.TryAddWithoutValidation("Content-Range", Pick(ContentRanges));
            request.Headers.TryAddWithoutValidation("If-Range", Pick(["\"x\"", "garbage", ""]));
        }, cancellationToken);
    }

    private async Task<FuzzResult> LengthMismatchAsync(string category, CancellationToken cancellationToken)
    {
        var location = await StartUploadAsync(cancellationToken);
        var declared = random.Next(0, 5000);
        var shorter = random.Next(2) == 0 && declared > 0;
        var body = Bytes(shorter ? random.Next(0, declared) : declared + random.Next(1, 500));
        var framing = random.Next(4) == 0 ? "Transfer-Encoding: chunked\r\n" + $"Content-Length: {declared}" : $"Content-Length: {declared}";
        var head = $"{Pick(["PATCH", "PUT", "POST"])} {location}?digest={RandomDigest()} HTTP/1.1\r\n{framing}\r\nContent-Type: application/octet-stream";
        return await RawAsync(category, head, body, cancellationToken, halfClose: shorter, truncated: shorter);
    }

    private async Task<FuzzResult> TruncatedAsync(string category, CancellationToken cancellationToken)
    {
        var location = await StartUploadAsync(cancellationToken);
        using var socket = await RawHttp.ConnectAsync(target.Server, cancellationToken);
        var chunked = random.Next(3) == 0;
        var framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: 100000";
        await socket.SendAsync(Encoding.ASCII.GetBytes($"PATCH {location} HTTP/1.1\r\nHost: 127.0.0.1\r\n{framing}\r\nContent-Type: application/octet-stream\r\n\r\n"), cancellationToken);
        var part = Bytes(random.Next(1, 50_000));
        await socket.SendAsync(chunked ? Encoding.ASCII.GetBytes($"{part.Length + 100:x}\r\n").Concat(part).ToArray() : part, cancellationToken);
        socket.LingerState = new LingerOption(true, 0); // RST: the client vanished mid-body.
        socket.Close();
        return new FuzzResult(category, -1, "", true, $"PATCH {location} cut after {part.Length} bytes");
    }

    private async Task<FuzzResult> WrongDigestAsync(string category, CancellationToken cancellationToken)
    {
        var body = Bytes(random.Next(0, 8192));
        var digest = random.Next(3) switch
        {
            0 => Pick(target.Blobs).ToString(),      // someone else's content
            1 => RandomDigest(),
            _ => Pick(["sha512:" + new string('a', 128), "sha256:" + new string('A', 64), "md5:x", "sha256", ""]),
        };
        if (random.Next(2) == 0)
        {
            return await SendAsync(category, HttpMethod.Post, $"/v2/{Pick(target.Repositories)}/blobs/uploads/?digest={digest}", body, "application/octet-stream", null, cancellationToken);
        }
        var location = await StartUploadAsync(cancellationToken);
        return await SendAsync(category, HttpMethod.Put, $"{location}?digest={digest}", body, "application/octet-stream", null, cancellationToken);
    }

    private byte[] InvalidManifest()
    {
        var valid = ManifestWithMissingBlobs();
        return random.Next(6) switch
        {
            0 => Bytes(random.Next(0, 2000)),
            1 => valid[..random.Next(0, valid.Length)],
            2 => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace("\"schemaVersion\": 2", "\"schemaVersion\": " + Pick(["1", "\"2\"", "null", "2.5", "[]"]))),
            3 => Encoding.UTF8.GetBytes(Pick(["[]", "null", "{}", "\"x\"", "{\"schemaVersion\":2,\"manifests\":{}}", "{\"schemaVersion\":2,\"config\":[]}",
                new string('[', 10_000), "{\"schemaVersion\":2,\"mediaType\":\"text/plain\"}", "{\"schemaVersion\":2,\"config\":{},\"manifests\":[]}"])),
            4 => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace("sha256:", Pick(["sha384:", "SHA256:", "sha256:zz", ""]))),
            _ => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace("\"size\": ", "\"size\": " + Pick(["-", "1e99", "\"1\"", "-1", "null, \"x\": "]))),
        };
    }

    private byte[] ManifestWithMissingBlobs()
    {
        var config = new BlobRef(ManifestBuilder.OciConfigType, Digest.Compute(Bytes(16)), 16);
        var layers = Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(2) == 0
            ? new BlobRef(ManifestBuilder.OciLayerType, Pick(target.Blobs), 1)
            : new BlobRef(ManifestBuilder.OciLayerType, Digest.Compute(Bytes(8)), 8)).ToList();
        // At least one descriptor always points at nothing stored.
        return random.Next(4) == 0
            ? ManifestBuilder.Bytes(ManifestBuilder.Index([config with { MediaType = MediaTypes.OciManifest }]))
            : ManifestBuilder.Bytes(ManifestBuilder.Image(config, layers));
    }

    private string RandomRoute() => $"/v2/{Pick(target.Repositories)}/" + Pick([
        $"manifests/{NewTag()}", $"blobs/{RandomDigest()}", "blobs/uploads/" + Guid.NewGuid().ToString("N"), "tags/list",
        $"referrers/{RandomDigest()}", $"manifests/{RandomDigest()}"]);

    private async Task<string> StartUploadAsync(CancellationToken cancellationToken)
    {
        using var response = await target.Http.PostAsync($"/v2/{Pick(target.Repositories)}/blobs/uploads/", null, cancellationToken);
        return response.Headers.Location?.ToString() ?? throw new InvalidOperationException($"upload start answered {(int)response.StatusCode}");
    }

    private async Task<FuzzResult> SendAsync(string category, HttpMethod method, string path, byte[] body, string contentType,
        Action<HttpRequestMessage>? configure, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body.Length > 0 || method != HttpMethod.Get)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType.Length > 0) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        configure?.Invoke(request);
        using var response = await target.Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new FuzzResult(category, (int)response.StatusCode, text, method == HttpMethod.Head, $"{method} {path}");
    }

    private async Task<FuzzResult> RawAsync(string category, string head, byte[] body, CancellationToken cancellationToken, bool halfClose = false, bool truncated = false)
    {
        var withHost = head.Replace(" HTTP/1.1", " HTTP/1.1\r\nHost: 127.0.0.1", StringComparison.Ordinal);
        if (!withHost.Contains("Content-Length", StringComparison.Ordinal) && !withHost.Contains("Transfer-Encoding", StringComparison.Ordinal))
        {
            withHost += $"\r\nContent-Length: {body.Length}";
        }
        var response = await RawHttp.SendAsync(target.Server, withHost, body, cancellationToken, halfClose);
        var line = head.Split("\r\n")[0];
        var path = line.Split(' ')[1];
        // Bodiless refusals come from Kestrel's parser (400, 408, 413, 414, 431), HEAD, and ASP.NET's routing for
        // paths outside /v2/ (no endpoint: 404/405).
        var bodyless = response.Status is 400 or 408 or 413 or 414 or 431 || line.StartsWith("HEAD ", StringComparison.Ordinal)
            || !path.StartsWith("/v2/", StringComparison.Ordinal);
        // A body cut short and the connection half-closed: Kestrel takes the FIN as the client leaving.
        var status = response.Status == 0 && truncated ? -1 : response.Status;
        return new FuzzResult(category, status, response.Body, bodyless, line.Length > 150 ? line[..150] + "…" : line);
    }

    private string NewTag() => "fuzz-" + random.Next().ToString("x");

    private string RandomDigest() => Digest.Compute(Bytes(8)).ToString();

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
