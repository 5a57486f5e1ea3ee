using System.Net;
using System.Security.Cryptography;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Http;

public sealed class ChunkedUploadTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    [Fact]
    public async Task Chunked_PatchesWithContentRange_ThenPutWithoutBody()
    {
        var repository = TestContent.Repository("uploads");
        var content = TestContent.RandomBytes(3 * 1000 + 7);
        var location = await Client.StartUploadAsync(repository);

        for (var start = 0; start < content.Length; start += 1000)
        {
            var chunk = content[start..Math.Min(content.Length, start + 1000)];
            using var patch = await Client.PatchChunkAsync(location, chunk, start);
            await Uploads.AssertProgressAsync(patch, HttpStatusCode.Accepted, location, start + chunk.Length);
            location = patch.Headers.Location!.ToString();
        }
        using var status = await Client.GetAsync(location);
        await Uploads.AssertProgressAsync(status, HttpStatusCode.NoContent, location, content.Length);

        using var put = await Client.CompleteAsync(location, Digest.Compute(content));
        using var pulled = await Client.GetAsync($"/v2/{repository}/blobs/{Digest.Compute(content)}");

        await OciAssert.StatusAsync(HttpStatusCode.Created, put);
        Assert.Equal(Digest.Compute(content).ToString(), OciAssert.Header(put, "Docker-Content-Digest"));
        Assert.Equal(content, await pulled.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Chunked_FinalChunkInThePut()
    {
        var repository = TestContent.Repository("uploads");
        var content = TestContent.RandomBytes(2500);
        var location = await Client.StartUploadAsync(repository);

        using var patch = await Client.PatchChunkAsync(location, content[..2000], 0);
        using var put = await Client.CompleteAsync(patch.Headers.Location!.ToString(), Digest.Compute(content), content[2000..], "2000-2499");
        using var pulled = await Client.GetAsync($"/v2/{repository}/blobs/{Digest.Compute(content)}");

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, patch);
        await OciAssert.StatusAsync(HttpStatusCode.Created, put);
        Assert.Equal(content, await pulled.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Chunked_RfcStyleContentRange_IsAccepted()
    {
        var repository = TestContent.Repository("uploads");
        var content = TestContent.RandomBytes(200);
        var location = await Client.StartUploadAsync(repository);

        using var patch = await Client.PatchAsync(location, content, "bytes 0-199/*");

        await Uploads.AssertProgressAsync(patch, HttpStatusCode.Accepted, location, 200);
    }

    [Fact]
    public async Task Chunked_OutOfOrderChunk_Is416_WithTheCurrentRange_AndTheUploadGoesOn()
    {
        var repository = TestContent.Repository("uploads");
        var content = TestContent.RandomBytes(300);
        var location = await Client.StartUploadAsync(repository);
        using var first = await Client.PatchChunkAsync(location, content[..100], 0);
        await OciAssert.StatusAsync(HttpStatusCode.Accepted, first);

        using var skipped = await Client.PatchChunkAsync(location, content[200..], 200);
        await Uploads.AssertProgressAsync(skipped, HttpStatusCode.RequestedRangeNotSatisfiable, location, 100);

        using var second = await Client.PatchChunkAsync(location, content[100..200], 100);
        using var third = await Client.PatchChunkAsync(location, content[200..], 200);
        using var put = await Client.CompleteAsync(location, Digest.Compute(content));

        await Uploads.AssertProgressAsync(second, HttpStatusCode.Accepted, location, 200);
        await Uploads.AssertProgressAsync(third, HttpStatusCode.Accepted, location, 300);
        await OciAssert.StatusAsync(HttpStatusCode.Created, put);
    }

    [Fact]
    public async Task Chunked_RepeatedChunk_Is416_WithTheCurrentRange()
    {
        var repository = TestContent.Repository("uploads");
        var content = TestContent.RandomBytes(200);
        var location = await Client.StartUploadAsync(repository);
        using var first = await Client.PatchChunkAsync(location, content[..100], 0);

        using var repeated = await Client.PatchChunkAsync(location, content[..100], 0);
        using var status = await Client.GetAsync(location);

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, first);
        await Uploads.AssertProgressAsync(repeated, HttpStatusCode.RequestedRangeNotSatisfiable, location, 100);
        await Uploads.AssertProgressAsync(status, HttpStatusCode.NoContent, location, 100);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("100-0")]
    [InlineData("-5")]
    public async Task Chunked_MalformedContentRange_Is416(string contentRange)
    {
        var repository = TestContent.Repository("uploads");
        var location = await Client.StartUploadAsync(repository);

        using var patch = await Client.PatchAsync(location, TestContent.RandomBytes(10), contentRange);

        await OciAssert.ErrorAsync(patch, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
    }

    [Fact]
    public async Task Chunked_ContentRangeNotMatchingTheBody_IsRejected_AndNothingIsKept()
    {
        var repository = TestContent.Repository("uploads");
        var location = await Client.StartUploadAsync(repository);

        using var patch = await Client.PatchAsync(location, TestContent.RandomBytes(10), "0-19");
        using var status = await Client.GetAsync(location);

        await OciAssert.ErrorAsync(patch, HttpStatusCode.BadRequest, "BLOB_UPLOAD_INVALID");
        await Uploads.AssertProgressAsync(status, HttpStatusCode.NoContent, location, 0);
    }

    [Fact]
    public async Task Streamed_PatchesWithoutContentRange_Append()
    {
        var repository = TestContent.Repository("uploads");
        var content = TestContent.RandomBytes(70_000);
        var location = await Client.StartUploadAsync(repository);

        using var first = await Client.SendAsync(HttpMethod.Patch, location, new StreamContent(new MemoryStream(content[..50_000])));
        using var second = await Client.SendAsync(HttpMethod.Patch, location, new StreamContent(new NonSeekable(content[50_000..])));
        using var put = await Client.CompleteAsync(location, Digest.Compute(content));
        using var pulled = await Client.GetAsync($"/v2/{repository}/blobs/{Digest.Compute(content)}");

        await Uploads.AssertProgressAsync(first, HttpStatusCode.Accepted, location, 50_000);
        await Uploads.AssertProgressAsync(second, HttpStatusCode.Accepted, location, 70_000);
        await OciAssert.StatusAsync(HttpStatusCode.Created, put);
        Assert.Equal(content, await pulled.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Streamed_64MiB_WithChunkedTransferEncoding()
    {
        const long size = 64L * 1024 * 1024;
        var repository = TestContent.Repository("uploads");
        var location = await Client.StartUploadAsync(repository);
        using var source = new GeneratedStream(size, seed: 64);

        using var patch = await Client.SendAsync(HttpMethod.Patch, location, new StreamContent(source, 256 * 1024));
        var digest = source.Digest;
        using var put = await Client.CompleteAsync(location, digest);
        using var head = await Client.HeadAsync($"/v2/{repository}/blobs/{digest}");

        await Uploads.AssertProgressAsync(patch, HttpStatusCode.Accepted, location, size);
        await OciAssert.StatusAsync(HttpStatusCode.Created, put);
        await OciAssert.StatusAsync(HttpStatusCode.OK, head);
        Assert.Equal(size, head.Content.Headers.ContentLength);

        using var get = await Client.Http.GetAsync($"/v2/{repository}/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await get.Content.ReadAsStreamAsync();
        using var sha = SHA256.Create();
        var hash = await sha.ComputeHashAsync(body);
        Assert.Equal(digest, Digest.FromHash(Digest.Sha256, hash));
    }

    /// <summary>Hides the length so HttpClient streams the body with chunked transfer encoding.</summary>
    private sealed class NonSeekable(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
