using System.Net;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Http;

public sealed class UploadTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    [Theory]
    [InlineData("/blobs/uploads/")]
    [InlineData("/blobs/uploads")]
    public async Task Post_StartsASession(string suffix)
    {
        var repository = TestContent.Repository("uploads");

        using var response = await Client.SendAsync(HttpMethod.Post, $"/v2/{repository}{suffix}", RegistryClient.Octets([]));

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, response);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith($"/v2/{repository}/blobs/uploads/", location);
        Assert.Equal(Uploads.SessionId(location), OciAssert.Header(response, "Docker-Upload-UUID"));
        Assert.NotEmpty(Uploads.SessionId(location));
        Assert.Equal("0-0", OciAssert.Header(response, "Range"));
        Assert.True(long.TryParse(OciAssert.Header(response, "OCI-Chunk-Min-Length"), out var minimum) && minimum >= 0);
        Assert.Equal(0, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Post_GivesEachSessionItsOwnId()
    {
        var repository = TestContent.Repository("uploads");

        var first = await Client.StartUploadAsync(repository);
        var second = await Client.StartUploadAsync(repository);

        Assert.NotEqual(Uploads.SessionId(first), Uploads.SessionId(second));
    }

    [Fact]
    public async Task MonolithicPost_WithDigest_Is201()
    {
        var repository = TestContent.Repository("uploads");
        var content = TestContent.RandomBytes(3000);
        var digest = Digest.Compute(content);

        using var response = await Client.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={digest}", RegistryClient.Octets(content));
        using var pulled = await Client.GetAsync($"/v2/{repository}/blobs/{digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", response.Headers.Location?.ToString());
        Assert.Equal(digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal(content, await pulled.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task MonolithicPost_WithTheWrongDigest_IsDigestInvalid_AndStoresNothing()
    {
        var repository = TestContent.Repository("uploads");
        var content = TestContent.RandomBytes(3000);
        var claimed = TestContent.UnknownDigest();

        using var response = await Client.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={claimed}", RegistryClient.Octets(content));
        using var byClaim = await Client.HeadAsync($"/v2/{repository}/blobs/{claimed}");
        using var byContent = await Client.HeadAsync($"/v2/{repository}/blobs/{Digest.Compute(content)}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await OciAssert.StatusAsync(HttpStatusCode.NotFound, byClaim);
        await OciAssert.StatusAsync(HttpStatusCode.NotFound, byContent);
    }

    [Fact]
    public async Task PostThenPut_Monolithic_Is201_AndClosesTheSession()
    {
        var repository = TestContent.Repository("uploads");
        var content = TestContent.RandomBytes(5000);
        var digest = Digest.Compute(content);
        var location = await Client.StartUploadAsync(repository);

        using var put = await Client.CompleteAsync(location, digest, content);
        using var status = await Client.GetAsync(location);
        using var pulled = await Client.GetAsync($"/v2/{repository}/blobs/{digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Created, put);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", put.Headers.Location?.ToString());
        Assert.Equal(digest.ToString(), OciAssert.Header(put, "Docker-Content-Digest"));
        await OciAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        Assert.Equal(content, await pulled.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_WithTheWrongDigest_IsDigestInvalid_AndTheSessionIsGone()
    {
        var repository = TestContent.Repository("uploads");
        var content = TestContent.RandomBytes(1000);
        var location = await Client.StartUploadAsync(repository);
        using var patch = await Client.PatchChunkAsync(location, content, 0);
        Assert.True(registry.StagedUploadExists(Uploads.SessionId(location)));

        using var put = await Client.CompleteAsync(location, TestContent.UnknownDigest());
        using var status = await Client.GetAsync(location);
        using var retry = await Client.CompleteAsync(location, Digest.Compute(content));
        using var blob = await Client.HeadAsync($"/v2/{repository}/blobs/{Digest.Compute(content)}");

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, patch);
        await OciAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await OciAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await OciAssert.ErrorAsync(retry, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await OciAssert.StatusAsync(HttpStatusCode.NotFound, blob);
        Assert.False(registry.StagedUploadExists(Uploads.SessionId(location)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    public async Task Put_WithoutAValidDigest_IsDigestInvalid(string digest)
    {
        var repository = TestContent.Repository("uploads");
        var location = await Client.StartUploadAsync(repository);

        using var put = await Client.SendAsync(HttpMethod.Put, Uploads.WithQuery(location, $"digest={digest}"), RegistryClient.Octets([1, 2, 3]));

        await OciAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Delete_CancelsTheSession_ThenEveryVerbIsBlobUploadUnknown()
    {
        var repository = TestContent.Repository("uploads");
        var location = await Client.StartUploadAsync(repository);
        using var patch = await Client.PatchChunkAsync(location, TestContent.RandomBytes(100), 0);
        Assert.True(registry.StagedUploadExists(Uploads.SessionId(location)));

        using var cancel = await Client.DeleteAsync(location);

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, patch);
        await OciAssert.StatusAsync(HttpStatusCode.NoContent, cancel);
        Assert.False(registry.StagedUploadExists(Uploads.SessionId(location)));
        await AssertUnknownSessionAsync(location);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("not-a-session")]
    [InlineData("bad!id")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task UnknownSessionIds_AreBlobUploadUnknown(string id)
    {
        var repository = TestContent.Repository("uploads");

        await AssertUnknownSessionAsync($"/v2/{repository}/blobs/uploads/{id}");
    }

    [Fact]
    public async Task SessionId_UnderAnotherRepository_IsBlobUploadUnknown_AndTheSessionSurvives()
    {
        var owner = TestContent.Repository("uploads");
        var intruder = TestContent.Repository("uploads");
        var content = TestContent.RandomBytes(300);
        var location = await Client.StartUploadAsync(owner);
        var foreign = $"/v2/{intruder}/blobs/uploads/{Uploads.SessionId(location)}";

        await AssertUnknownSessionAsync(foreign);

        using var patch = await Client.PatchChunkAsync(location, content, 0);
        using var put = await Client.CompleteAsync(location, Digest.Compute(content));
        using var notThere = await Client.HeadAsync($"/v2/{intruder}/blobs/{Digest.Compute(content)}");
        await Uploads.AssertProgressAsync(patch, HttpStatusCode.Accepted, location, 300);
        await OciAssert.StatusAsync(HttpStatusCode.Created, put);
        await OciAssert.StatusAsync(HttpStatusCode.NotFound, notThere);
    }

    /// <summary>GET, PATCH, PUT and DELETE on <paramref name="location"/> all answer 404 BLOB_UPLOAD_UNKNOWN.</summary>
    private async Task AssertUnknownSessionAsync(string location)
    {
        var content = TestContent.RandomBytes(10);
        using var status = await Client.GetAsync(location);
        using var patch = await Client.PatchChunkAsync(location, content, 0);
        using var put = await Client.CompleteAsync(location, Digest.Compute(content), content);
        await OciAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await OciAssert.ErrorAsync(patch, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await OciAssert.ErrorAsync(put, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var delete = await Client.DeleteAsync(location);
        await OciAssert.ErrorAsync(delete, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }
}
