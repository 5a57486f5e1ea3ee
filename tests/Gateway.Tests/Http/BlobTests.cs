using System.Net;
using System.Net.Http.Headers;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Http;

public sealed class BlobTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    [Fact]
    public async Task Get_ReturnsTheBytes_WithLengthDigestTypeAndETag()
    {
        var repository = TestContent.Repository("blobs");
        var content = TestContent.RandomBytes(10_000);
        var blob = await Client.PushBlobAsync(repository, content);

        using var response = await Client.GetAsync($"/v2/{repository}/blobs/{blob.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(blob.Digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal(MediaTypes.OctetStream, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"{blob.Digest}\"", response.Headers.ETag?.Tag);
        Assert.Equal("bytes", OciAssert.Header(response, "Accept-Ranges"));
    }

    [Fact]
    public async Task Head_HasTheSameHeaders_AndNoBody()
    {
        var repository = TestContent.Repository("blobs");
        var blob = await Client.PushRandomBlobAsync(repository, 4321);

        using var response = await Client.HeadAsync($"/v2/{repository}/blobs/{blob.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(4321, response.Content.Headers.ContentLength);
        Assert.Equal(blob.Digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal($"\"{blob.Digest}\"", response.Headers.ETag?.Tag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_WithIfNoneMatch_OnTheETag_Is304()
    {
        var repository = TestContent.Repository("blobs");
        var blob = await Client.PushRandomBlobAsync(repository);

        using var response = await Client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{blob.Digest}",
            configure: r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{blob.Digest}\"")));

        await OciAssert.StatusAsync(HttpStatusCode.NotModified, response);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=0-99", 0, 99)]
    [InlineData("bytes=1000-1999", 1000, 1999)]
    [InlineData("bytes=9000-", 9000, 9999)]
    [InlineData("bytes=-10", 9990, 9999)]
    [InlineData("bytes=9990-20000", 9990, 9999)]
    public async Task Get_WithARange_Is206_WithContentRange(string range, int start, int end)
    {
        var repository = TestContent.Repository("blobs");
        var content = TestContent.RandomBytes(10_000);
        var blob = await Client.PushBlobAsync(repository, content);

        using var response = await Client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{blob.Digest}",
            configure: r => r.Headers.TryAddWithoutValidation("Range", range));

        await OciAssert.StatusAsync(HttpStatusCode.PartialContent, response);
        Assert.Equal($"bytes {start}-{end}/10000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(end - start + 1, response.Content.Headers.ContentLength);
        Assert.Equal(content[start..(end + 1)], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=10000-")]
    [InlineData("bytes=20000-30000")]
    [InlineData("bytes=-0")]
    public async Task Get_WithAnUnsatisfiableRange_Is416_WithTheLength(string range)
    {
        var repository = TestContent.Repository("blobs");
        var blob = await Client.PushRandomBlobAsync(repository, 10_000);

        using var response = await Client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{blob.Digest}",
            configure: r => r.Headers.TryAddWithoutValidation("Range", range));

        await OciAssert.ErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        Assert.Equal("bytes */10000", response.Content.Headers.ContentRange?.ToString());
    }

    [Theory]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("bytes=5-2")]
    [InlineData("bytes=abc")]
    [InlineData("items=0-1")]
    public async Task Get_WithAMultiOrMalformedRange_ReturnsTheWholeBlob(string range)
    {
        var repository = TestContent.Repository("blobs");
        var content = TestContent.RandomBytes(1000);
        var blob = await Client.PushBlobAsync(repository, content);

        using var response = await Client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{blob.Digest}",
            configure: r => r.Headers.TryAddWithoutValidation("Range", range));

        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_AnEmptyBlob_IsZeroBytes()
    {
        var repository = TestContent.Repository("blobs");
        var blob = await Client.PushBlobAsync(repository, []);

        using var response = await Client.GetAsync($"/v2/{repository}/blobs/{blob.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(0, response.Content.Headers.ContentLength);
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", OciAssert.Header(response, "Docker-Content-Digest"));
    }

    [Fact]
    public async Task Get_ABlobStoredOnlyInAnotherRepository_IsBlobUnknown()
    {
        var owner = TestContent.Repository("blobs");
        var other = TestContent.Repository("blobs");
        var blob = await Client.PushRandomBlobAsync(owner);
        // The other repository exists (it has a blob of its own) but never linked this one.
        await Client.PushRandomBlobAsync(other);

        using var get = await Client.GetAsync($"/v2/{other}/blobs/{blob.Digest}");
        using var head = await Client.HeadAsync($"/v2/{other}/blobs/{blob.Digest}");

        await OciAssert.ErrorAsync(get, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await OciAssert.ErrorAsync(head, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_AnUnknownBlob_IsBlobUnknown()
    {
        var repository = TestContent.Repository("blobs");

        using var response = await Client.GetAsync($"/v2/{repository}/blobs/{TestContent.UnknownDigest()}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Delete_Unlinks_ThenTheBlobIsUnknownThere_ButStillServedElsewhere()
    {
        var first = TestContent.Repository("blobs");
        var second = TestContent.Repository("blobs");
        var content = TestContent.RandomBytes(2048);
        var blob = await Client.PushBlobAsync(first, content);
        await Client.PushBlobAsync(second, content);

        using var delete = await Client.DeleteAsync($"/v2/{first}/blobs/{blob.Digest}");
        using var gone = await Client.GetAsync($"/v2/{first}/blobs/{blob.Digest}");
        using var again = await Client.DeleteAsync($"/v2/{first}/blobs/{blob.Digest}");
        using var elsewhere = await Client.GetAsync($"/v2/{second}/blobs/{blob.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, delete);
        await OciAssert.ErrorAsync(gone, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await OciAssert.ErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await OciAssert.StatusAsync(HttpStatusCode.OK, elsewhere);
        Assert.Equal(content, await elsewhere.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("notadigest")]
    public async Task InvalidDigest_IsDigestInvalid(string digest)
    {
        var repository = TestContent.Repository("blobs");

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head, HttpMethod.Delete })
        {
            using var response = await Client.SendAsync(method, $"/v2/{repository}/blobs/{digest}");
            await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        }
    }

    [Fact]
    public async Task Sha512Blob_CanBePushedAndPulled()
    {
        var repository = TestContent.Repository("blobs");
        var content = TestContent.RandomBytes(5000);
        var digest = Digest.Compute(content, Digest.Sha512);

        using var push = await Client.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={digest}", RegistryClient.Octets(content));
        using var pull = await Client.GetAsync($"/v2/{repository}/blobs/{digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Created, push);
        Assert.Equal(digest.ToString(), OciAssert.Header(push, "Docker-Content-Digest"));
        await OciAssert.StatusAsync(HttpStatusCode.OK, pull);
        Assert.Equal(content, await pull.Content.ReadAsByteArrayAsync());
    }
}
