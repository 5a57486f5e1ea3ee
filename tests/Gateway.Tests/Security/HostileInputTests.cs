using System.Net;
using System.Text.Json;
using Nscr.Gateway.Security;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Security;

public sealed class HostileInputTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Theory]
    [InlineData("/v2/team/../admin/manifests/latest")]
    [InlineData("/v2/team/%2e%2e/admin/manifests/latest")]
    [InlineData("/v2/team/%2E./admin/tags/list")]
    [InlineData("/v2/./team/tags/list")]
    [InlineData("/v2/team/app/blobs/..")]
    [InlineData("/v2/team%2Fapp/manifests/latest")]
    [InlineData("/v2/team%2fapp/tags/list")]
    [InlineData("/v2/team%5Capp/tags/list")]
    [InlineData("/v2/team\\app/tags/list")]
    [InlineData("/v2/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/repositories/team/../app")]
    public async Task TraversalTargets_AreRejectedWithNameInvalid(string target)
    {
        var response = await RawHttp.SendAsync(registry.BaseAddress, $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1");
        Assert.True(response.Status == 400, $"{target}: {response.Status} {response.Body}");
        AssertOciError(response, "NAME_INVALID");
    }

    [Fact]
    public async Task EncodedNul_IsRefusedByKestrel()
    {
        var response = await RawHttp.SendAsync(registry.BaseAddress, "GET /v2/team/app%00/manifests/latest HTTP/1.1\r\nHost: 127.0.0.1");
        Assert.Equal(400, response.Status);
    }

    [Theory]
    [InlineData("/v2/team/app/manifests/v1.0", true)]
    [InlineData("/v2/team/app/manifests/v1..2", true)]
    [InlineData("/v2/team/app/tags/list?last=../x&n=%2F", true)]
    [InlineData("/v2/a/../b", false)]
    [InlineData("/v2/a/%2e", false)]
    [InlineData("/v2/a/%2", false)]
    [InlineData("/v2/a/b%2fc", false)]
    [InlineData("/v2/a/b%41c", true)]
    public void RawTargetGuard_AllowsOrdinaryTargets(string target, bool acceptable)
    {
        Assert.Equal(acceptable, RawTargetGuard.IsAcceptable(target));
    }

    [Fact]
    public async Task OverlongName_IsNameInvalid()
    {
        var name = string.Join('/', Enumerable.Repeat(new string('a', 50), 6));
        using var response = await registry.Client.GetAsync($"/v2/{name}/tags/list");
        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Theory]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm")]
    [InlineData("sha256:ZZZ", "invalid digest")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "invalid digest")]
    public async Task UnsupportedOrMalformedDigests_AreDigestInvalid(string digest, string message)
    {
        using var response = await registry.Client.GetAsync($"/v2/hostile/app/blobs/{digest}");
        var error = await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        Assert.Contains(message, error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("bytes 0-9/5")]
    [InlineData("0-9223372036854775807")]
    [InlineData("-1-5")]
    [InlineData("5-2")]
    public async Task InvalidContentRange_OnPatch_Is416(string contentRange)
    {
        var repository = TestContent.Repository("hostile");
        var location = await registry.Client.StartUploadAsync(repository);
        using var response = await registry.Client.SendAsync(new HttpMethod("PATCH"), location, RegistryClient.Octets(new byte[10]),
            request => request.Content!.Headers.TryAddWithoutValidation("Content-Range", contentRange));
        await OciAssert.ErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
    }

    [Fact]
    public async Task OverlappingChunk_Is416_AndKeepsTheUploadedBytes()
    {
        var repository = TestContent.Repository("hostile");
        var location = await registry.Client.StartUploadAsync(repository);
        using (var first = await registry.Client.SendAsync(new HttpMethod("PATCH"), location, RegistryClient.Octets(new byte[10]),
                   request => request.Content!.Headers.TryAddWithoutValidation("Content-Range", "0-9")))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, first);
        }
        using var overlap = await registry.Client.SendAsync(new HttpMethod("PATCH"), location, RegistryClient.Octets(new byte[10]),
            request => request.Content!.Headers.TryAddWithoutValidation("Content-Range", "5-14"));
        await OciAssert.ErrorAsync(overlap, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        Assert.Equal("0-9", OciAssert.Header(overlap, "Range"));
    }

    [Theory]
    [InlineData("bytes=5-3")]
    [InlineData("bytes=-")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=0-1,3-4")]
    [InlineData("bytes=--5")]
    public async Task InvalidRangeOnGet_ServesTheWholeBlob(string range)
    {
        var repository = TestContent.Repository("hostile");
        var blob = await registry.Client.PushRandomBlobAsync(repository, 100);
        using var response = await registry.Client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{blob.Digest}",
            configure: request => request.Headers.TryAddWithoutValidation("Range", range));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Theory]
    [InlineData("a+b")]
    [InlineData("a.b")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task OddUploadIds_AreUnknownUploads(string id)
    {
        using var response = await registry.Client.GetAsync($"/v2/hostile/app/blobs/uploads/{id}");
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{id}: {(int)response.StatusCode}");
        Assert.Contains(response.StatusCode == HttpStatusCode.NotFound ? "BLOB_UPLOAD_UNKNOWN" : "NAME_INVALID", await response.Content.ReadAsStringAsync());
    }

    private static void AssertOciError(RawResponse response, string code)
    {
        using var document = JsonDocument.Parse(response.Body);
        var codes = document.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString());
        Assert.Contains(code, codes);
    }
}
