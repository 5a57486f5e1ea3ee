using System.Net;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Http;

/// <summary>
/// Requests no client should send. Each gets a 4xx with the OCI error body; none a 500
/// (<see cref="NoServerErrorsHandler"/> fails any test that sees one).
/// </summary>
public sealed class ErrorTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly string SomeDigest = Digest.Compute("x"u8).ToString();

    private RegistryClient Client => registry.Client;

    public static TheoryData<string, string> UnsupportedRequests() => new()
    {
        { "POST", "/v2/" },
        { "DELETE", "/v2/" },
        { "PUT", "/v2/_catalog" },
        { "DELETE", "/v2/_catalog" },
        { "PATCH", "/v2/library/app/manifests/latest" },
        { "POST", "/v2/library/app/manifests/latest" },
        { "PUT", $"/v2/library/app/blobs/{SomeDigest}" },
        { "POST", $"/v2/library/app/blobs/{SomeDigest}" },
        { "PATCH", $"/v2/library/app/blobs/{SomeDigest}" },
        { "GET", "/v2/library/app/blobs/uploads/" },
        { "PUT", "/v2/library/app/blobs/uploads/" },
        { "POST", "/v2/library/app/blobs/uploads/0123456789abcdef" },
        { "DELETE", "/v2/library/app/tags/list" },
        { "POST", "/v2/library/app/tags/list" },
        { "DELETE", $"/v2/library/app/referrers/{SomeDigest}" },
        { "GET", "/v2/library" },
        { "GET", "/v2/library/app" },
        { "GET", "/v2/library/app/unknown/thing" },
        { "GET", "/v2/library/app/manifests/" },
        { "GET", "/v2/library/app/tags/list/extra" },
        { "GET", "/v2/_catalog/extra" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedRequests))]
    public async Task UnsupportedMethodOrPath_Is405Unsupported(string method, string path)
    {
        using var response = await Client.SendAsync(new HttpMethod(method), path, RegistryClient.Octets([]));

        await OciAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }

    public static TheoryData<string> InvalidNames() =>
    [
        "Library/ubuntu",
        "library/Ubuntu",
        "foo..bar",
        "foo/-bar",
        "foo_/bar",
        "foo___bar",
        "a%2Fb",
        "library%2Fubuntu",
        "a%20b",
        "a%0Ab",
        "library/ubuntu%0A",
        string.Join('/', Enumerable.Repeat(new string('n', 63), 4)) + "/abc",
    ];

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task InvalidRepositoryName_IsNameInvalid_OnEveryResource(string name)
    {
        var requests = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, $"/v2/{name}/manifests/latest"),
            (HttpMethod.Put, $"/v2/{name}/manifests/latest"),
            (HttpMethod.Delete, $"/v2/{name}/manifests/latest"),
            (HttpMethod.Get, $"/v2/{name}/blobs/{SomeDigest}"),
            (HttpMethod.Delete, $"/v2/{name}/blobs/{SomeDigest}"),
            (HttpMethod.Post, $"/v2/{name}/blobs/uploads/"),
            (HttpMethod.Patch, $"/v2/{name}/blobs/uploads/0123456789abcdef"),
            (HttpMethod.Get, $"/v2/{name}/tags/list"),
            (HttpMethod.Get, $"/v2/{name}/referrers/{SomeDigest}"),
        };
        foreach (var (method, path) in requests)
        {
            using var response = await Client.SendAsync(method, path, RegistryClient.Octets([1]));
            await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
        }
    }

    [Fact]
    public async Task OverLongName_IsNameInvalid_AndTheLimitItselfIsFine()
    {
        var longest = string.Join('/', Enumerable.Repeat(new string('n', 50), 5)) + "m";
        Assert.Equal(RepositoryName.MaxLength, longest.Length);

        using var tooLong = await Client.GetAsync($"/v2/{longest}m/tags/list");
        using var atLimit = await Client.SendAsync(HttpMethod.Post, $"/v2/{longest}/blobs/uploads/", RegistryClient.Octets([]));

        await OciAssert.ErrorAsync(tooLong, HttpStatusCode.BadRequest, "NAME_INVALID");
        await OciAssert.StatusAsync(HttpStatusCode.Accepted, atLimit);
    }

    /// <summary>Kestrel would resolve dot segments (also percent-encoded ones) before routing (RFC 3986 §5.2.4); the
    /// registry refuses them instead, so the name a client, proxy or log shows is the name acted on (RawTargetGuard).</summary>
    [Theory]
    [InlineData("/v2/{prefix}/x/../app/tags/list")]
    [InlineData("/v2/{prefix}/x/%2E%2E/app/tags/list")]
    [InlineData("/v2/{prefix}/./app/tags/list")]
    public async Task DotSegments_AreNameInvalid(string template)
    {
        var prefix = TestContent.Repository("dots");
        await Client.PushImageAsync($"{prefix}/app", "v1");

        using var response = await SendRawAsync(template.Replace("{prefix}", prefix));

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Theory]
    [InlineData("/v2//library/tags/list")]
    [InlineData("/v2/library//app/tags/list")]
    [InlineData("/v2/library/app//tags/list")]
    [InlineData("/v2/library/..%2Fetc/tags/list")]
    [InlineData("/v2/library/..%2F..%2Fetc/manifests/latest")]
    public async Task EmptyComponentsAndEncodedSlashes_AreNameInvalid(string rawPath)
    {
        using var response = await SendRawAsync(rawPath);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    /// <summary>Sends the path exactly as written: HttpClient would otherwise resolve dot segments itself.</summary>
    private Task<HttpResponseMessage> SendRawAsync(string rawPath) =>
        Client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            new Uri(registry.BaseAddress + rawPath.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true })));

    public static TheoryData<string, string, string?> HostileRequests() => new()
    {
        { "PATCH", "/v2/{repo}/blobs/uploads/{session}", "0-9223372036854775807" },
        { "PATCH", "/v2/{repo}/blobs/uploads/{session}", "9223372036854775806-9223372036854775807" },
        { "PATCH", "/v2/{repo}/blobs/uploads/{session}", "5-9" },
        { "PUT", "/v2/{repo}/blobs/uploads/{session}?digest=" + SomeDigest, "99999999999999999999-1" },
        { "PUT", "/v2/{repo}/blobs/uploads/{session}?digest=" + SomeDigest + "&digest=sha256:bad", null },
        { "GET", "/v2/{repo}/blobs/sha256:" + new string('a', 5000), null },
        { "GET", "/v2/{repo}/manifests/sha512:" + new string('a', 64), null },
        { "GET", "/v2/{repo}/manifests/" + new string('t', 2000), null },
        { "POST", "/v2/{repo}/blobs/uploads/?digest=sha256:" + new string('z', 64), null },
        { "POST", "/v2/{repo}/blobs/uploads/?mount=garbage&from=Not..Valid", null },
        { "POST", "/v2/{repo}/blobs/uploads/?mount=" + SomeDigest + "&from=" + new string('a', 300), null },
        { "GET", "/v2/{repo}/tags/list?n=2147483648", null },
        { "GET", "/v2/{repo}/tags/list?n=&last=", null },
        { "GET", "/v2/_catalog?n=999999999&last=%00", null },
        { "GET", "/v2/{repo}/referrers/" + SomeDigest + "?artifactType=%00%01", null },
    };

    [Theory]
    [MemberData(nameof(HostileRequests))]
    public async Task HostileRequests_AreNeverAServerError(string method, string template, string? contentRange)
    {
        var repository = TestContent.Repository("errors");
        await Client.PushImageAsync(repository, "v1");
        var session = Uploads.SessionId(await Client.StartUploadAsync(repository));
        var path = template.Replace("{repo}", repository).Replace("{session}", session);

        using var response = await Client.SendAsync(new HttpMethod(method), path, RegistryClient.Octets([1, 2, 3]), r =>
        {
            if (contentRange is not null) r.Content!.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        });

        Assert.True((int)response.StatusCode < 500, $"{method} {path} answered {(int)response.StatusCode}");
        if ((int)response.StatusCode >= 400)
        {
            var code = (await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync()))
                .RootElement.GetProperty("errors")[0].GetProperty("code").GetString()!;
            await OciAssert.ErrorAsync(response, response.StatusCode, code);
        }
    }

    [Fact]
    public async Task ErrorBodies_OfEveryKind_HaveCodeMessageAndDetail()
    {
        var repository = TestContent.Repository("errors");
        await Client.PushImageAsync(repository, "v1");

        using var blobUnknown = await Client.GetAsync($"/v2/{repository}/blobs/{TestContent.UnknownDigest()}");
        using var manifestUnknown = await Client.GetAsync($"/v2/{repository}/manifests/nope");
        using var nameUnknown = await Client.GetAsync($"/v2/{TestContent.Repository("errors")}/tags/list");
        using var uploadUnknown = await Client.GetAsync($"/v2/{repository}/blobs/uploads/0123456789abcdef");
        using var digestInvalid = await Client.GetAsync($"/v2/{repository}/blobs/sha256:1");
        using var manifestInvalid = await Client.PutManifestAsync(repository, "bad", TestContent.Utf8("{}"), MediaTypes.OciManifest);

        await OciAssert.ErrorAsync(blobUnknown, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await OciAssert.ErrorAsync(manifestUnknown, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.ErrorAsync(nameUnknown, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        await OciAssert.ErrorAsync(uploadUnknown, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await OciAssert.ErrorAsync(digestInvalid, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await OciAssert.ErrorAsync(manifestInvalid, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task PathsOutsideV2_AreNotServed()
    {
        using var response = await Client.GetAsync("/v3/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
