using System.Net;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Http;

/// <summary>
/// Each status the OCI distribution spec (v1.1.1) fixes, route by route (its endpoint ids end-1 … end-13 and its
/// MUST rules), over real HTTP: a change that drifts from one fails here, whatever the other tests cover.
/// </summary>
public sealed class SpecStatusTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    // end-1: a registry that implements the spec answers GET /v2/ with 200.
    [Fact]
    public async Task Base_Is200()
    {
        using var response = await Client.GetAsync("/v2/");

        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
    }

    // end-2: GET and HEAD of a blob the repository holds are 200, with its digest and (HEAD) its length.
    [Fact]
    public async Task Blob_Present_Is200()
    {
        var repository = TestContent.Repository("spec");
        var blob = await Client.PushRandomBlobAsync(repository, 300);

        using var get = await Client.GetAsync($"/v2/{repository}/blobs/{blob.Digest}");
        using var head = await Client.HeadAsync($"/v2/{repository}/blobs/{blob.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.OK, get);
        await OciAssert.StatusAsync(HttpStatusCode.OK, head);
        Assert.Equal(blob.Digest.ToString(), OciAssert.Header(get, "Docker-Content-Digest"));
        Assert.Equal(300, head.Content.Headers.ContentLength);
    }

    // end-2: a blob not in the repository is 404, for GET and HEAD alike.
    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task Blob_Absent_Is404(string method)
    {
        var repository = TestContent.Repository("spec");
        await Client.PushRandomBlobAsync(repository);

        using var response = await Client.SendAsync(new HttpMethod(method), $"/v2/{repository}/blobs/{TestContent.UnknownDigest()}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    // end-2 (pull, "SHOULD support Range" per RFC 9110): a satisfiable range is a 206 of those bytes.
    [Fact]
    public async Task Blob_Range_Is206()
    {
        var repository = TestContent.Repository("spec");
        var blob = await Client.PushRandomBlobAsync(repository, 100);

        using var response = await Client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{blob.Digest}",
            configure: r => r.Headers.Range = new(10, 19));

        await OciAssert.StatusAsync(HttpStatusCode.PartialContent, response);
        Assert.Equal(10, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    // end-3: GET and HEAD of a manifest by tag or by digest are 200.
    [Theory]
    [InlineData("GET", true)]
    [InlineData("GET", false)]
    [InlineData("HEAD", true)]
    [InlineData("HEAD", false)]
    public async Task Manifest_Present_Is200(string method, bool byTag)
    {
        var repository = TestContent.Repository("spec");
        var image = await Client.PushImageAsync(repository, "v1");

        using var response = await Client.SendAsync(new HttpMethod(method), $"/v2/{repository}/manifests/{(byTag ? "v1" : image.Digest)}");

        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(image.Digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
    }

    // end-3: "if the manifest is not found in the repository, the response code MUST be 404", for an unknown tag, an
    // unknown digest, and a reference that is neither (the conformance suite's ".INVALID_MANIFEST_NAME").
    [Theory]
    [InlineData("GET", "nosuchtag")]
    [InlineData("HEAD", "nosuchtag")]
    [InlineData("GET", "unknown-digest")]
    [InlineData("HEAD", "unknown-digest")]
    [InlineData("GET", ".INVALID_MANIFEST_NAME")]
    [InlineData("HEAD", ".INVALID_MANIFEST_NAME")]
    [InlineData("GET", "sha256:not-a-digest")]
    [InlineData("HEAD", "sha256:not-a-digest")]
    public async Task Manifest_Absent_Is404(string method, string reference)
    {
        var repository = TestContent.Repository("spec");
        await Client.PushImageAsync(repository, "v1");
        if (reference == "unknown-digest") reference = TestContent.UnknownDigest().ToString();

        using var response = await Client.SendAsync(new HttpMethod(method), $"/v2/{repository}/manifests/{reference}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    // end-3 / push: "an attempt to pull a nonexistent repository MUST return 404".
    [Fact]
    public async Task Manifest_OfAnUnknownRepository_Is404()
    {
        using var response = await Client.GetAsync($"/v2/{TestContent.Repository("spec")}/manifests/latest");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    // end-4a: opening an upload session is 202 with a Location.
    [Fact]
    public async Task UploadStart_Is202_WithLocation()
    {
        using var response = await Client.SendAsync(HttpMethod.Post, $"/v2/{TestContent.Repository("spec")}/blobs/uploads/", RegistryClient.Octets([]));

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, response);
        Assert.NotNull(response.Headers.Location);
    }

    // end-4b: a single-POST monolithic upload (which we support) is 201 with a pullable Location.
    [Fact]
    public async Task SinglePostUpload_Is201_WithLocation()
    {
        var repository = TestContent.Repository("spec");
        var content = TestContent.RandomBytes(200);
        var digest = Digest.Compute(content);

        using var response = await Client.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={digest}", RegistryClient.Octets(content));
        using var pulled = await Client.GetAsync(response.Headers.Location!.ToString());

        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        await OciAssert.StatusAsync(HttpStatusCode.OK, pulled);
    }

    // end-4b / end-6 failure: a digest that does not match the bytes is a 400 (DIGEST_INVALID, code-4).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upload_WithTheWrongDigest_Is400(bool singlePost)
    {
        var repository = TestContent.Repository("spec");
        var wrong = TestContent.UnknownDigest();
        var location = singlePost ? $"/v2/{repository}/blobs/uploads/" : await Client.StartUploadAsync(repository);

        using var response = await Client.SendAsync(singlePost ? HttpMethod.Post : HttpMethod.Put, Uploads.WithQuery(location, $"digest={wrong}"),
            RegistryClient.Octets(TestContent.RandomBytes(64)));

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    // end-5: each chunk in order is 202 with Location and Range; a chunk out of order MUST be 416.
    [Fact]
    public async Task Patch_InOrder_Is202_OutOfOrder_Is416()
    {
        var repository = TestContent.Repository("spec");
        var location = await Client.StartUploadAsync(repository);

        using var first = await Client.PatchChunkAsync(location, TestContent.RandomBytes(10), 0);
        using var gap = await Client.PatchChunkAsync(first.Headers.Location!.ToString(), TestContent.RandomBytes(10), 20);

        await Uploads.AssertProgressAsync(first, HttpStatusCode.Accepted, location, 10);
        await OciAssert.StatusAsync(HttpStatusCode.RequestedRangeNotSatisfiable, gap);
    }

    // end-6: closing a session with the whole blob's digest is 201 with a pullable Location.
    [Fact]
    public async Task UploadClose_Is201_WithLocation()
    {
        var repository = TestContent.Repository("spec");
        var content = TestContent.RandomBytes(50);
        var location = await Client.StartUploadAsync(repository);
        using var chunk = await Client.PatchChunkAsync(location, content, 0);

        using var response = await Client.CompleteAsync(chunk.Headers.Location!.ToString(), Digest.Compute(content));
        using var pulled = await Client.GetAsync(response.Headers.Location!.ToString());

        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        await OciAssert.StatusAsync(HttpStatusCode.OK, pulled);
    }

    // end-6 failure: closing a session the registry does not know is 404 (BLOB_UPLOAD_UNKNOWN, code-3).
    [Fact]
    public async Task UploadClose_OfAnUnknownSession_Is404()
    {
        var repository = TestContent.Repository("spec");

        using var response = await Client.CompleteAsync($"/v2/{repository}/blobs/uploads/{Guid.NewGuid():N}", TestContent.UnknownDigest());

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    // end-7: a manifest push by tag or by digest is 201 with a pullable Location and the digest of the bytes.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ManifestPush_Is201_WithLocation(bool byTag)
    {
        var repository = TestContent.Repository("spec");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var body = Bytes(Image(config, [layer]));
        var digest = Digest.Compute(body);

        using var response = await Client.PutManifestAsync(repository, byTag ? "v1" : digest.ToString(), body, MediaTypes.OciManifest);
        using var pulled = await Client.GetAsync(response.Headers.Location!.ToString());

        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        Assert.Equal(digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        await OciAssert.StatusAsync(HttpStatusCode.OK, pulled);
    }

    // Push: a manifest whose subject does not exist MUST be accepted (referrers may come first).
    [Fact]
    public async Task ManifestPush_WithAnAbsentSubject_Is201()
    {
        var repository = TestContent.Repository("spec");
        await Client.PushBlobAsync(repository, EmptyJson, MediaTypes.OciEmpty);
        var subject = new BlobRef(MediaTypes.OciManifest, TestContent.UnknownDigest(), 123);
        var body = Bytes(Image(EmptyConfig, [EmptyConfig], artifactType: "application/vnd.example.sig", subject: subject));

        using var response = await Client.PutManifestAsync(repository, Digest.Compute(body).ToString(), body, MediaTypes.OciManifest);

        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        Assert.Equal(subject.Digest.ToString(), OciAssert.Header(response, "OCI-Subject"));
    }

    // Push: a manifest refused for a blob or child manifest the registry does not hold MUST be MANIFEST_BLOB_UNKNOWN
    // (a 400, as Distribution answers), for an image's layer and for an index's entry.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ManifestPush_ReferencingAbsentContent_Is400ManifestBlobUnknown(bool index)
    {
        var repository = TestContent.Repository("spec");
        var (config, _) = await Client.PushConfigAndLayerAsync(repository);
        var body = index
            ? Bytes(Index([new BlobRef(MediaTypes.OciManifest, TestContent.UnknownDigest(), 500)]))
            : Bytes(Image(config, [new BlobRef(OciLayerType, TestContent.UnknownDigest(), 100)]));

        using var response = await Client.PutManifestAsync(repository, "v1", body, index ? MediaTypes.OciIndex : MediaTypes.OciManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    // end-7 failure: an invalid manifest is 400 MANIFEST_INVALID (code-6); a push to a reference that is neither a tag
    // nor a digest stays a 400 (TAG_INVALID), unlike a pull of it.
    [Fact]
    public async Task ManifestPush_Invalid_Is400()
    {
        var repository = TestContent.Repository("spec");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);

        using var invalid = await Client.PutManifestAsync(repository, "v1", TestContent.Utf8("{\"schemaVersion\":2,\"layers\":\"abc\"}"), MediaTypes.OciManifest);
        using var badTag = await Client.PutManifestAsync(repository, ".INVALID_MANIFEST_NAME", Bytes(Image(config, [layer])), MediaTypes.OciManifest);

        await OciAssert.ErrorAsync(invalid, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        await OciAssert.ErrorAsync(badTag, HttpStatusCode.BadRequest, "TAG_INVALID");
    }

    // end-7 failure: over the size limit (at least 4 MB must be accepted) SHOULD be 413.
    [Fact]
    public async Task ManifestPush_OverTheLimit_Is413()
    {
        var repository = TestContent.Repository("spec");
        var body = new byte[ManifestParser.MaxManifestBytes + 1];

        using var response = await Client.PutManifestAsync(repository, "big", body, MediaTypes.OciManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "MANIFEST_INVALID");
    }

    // end-8a: the tags of a repository are 200; of an unknown repository, 404.
    [Fact]
    public async Task Tags_Are200_OfAnUnknownRepository404()
    {
        var repository = TestContent.Repository("spec");
        await Client.PushImageAsync(repository, "v1");

        using var known = await Client.GetAsync($"/v2/{repository}/tags/list");
        using var unknown = await Client.GetAsync($"/v2/{TestContent.Repository("spec")}/tags/list");

        await OciAssert.StatusAsync(HttpStatusCode.OK, known);
        await OciAssert.ErrorAsync(unknown, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    // end-8b: with n, 200 and n results when there are more (with a Link); n=0 MUST be an empty list without Link.
    [Fact]
    public async Task Tags_Paginated_Are200()
    {
        var repository = TestContent.Repository("spec");
        var image = await Client.PushImageAsync(repository, "a");
        await Client.PushManifestAsync(repository, "b", image.Manifest.Body, image.Manifest.MediaType);

        using var page = await Client.GetAsync($"/v2/{repository}/tags/list?n=1");
        using var none = await Client.GetAsync($"/v2/{repository}/tags/list?n=0");
        using var after = await Client.GetAsync($"/v2/{repository}/tags/list?n=1&last=a");

        await OciAssert.StatusAsync(HttpStatusCode.OK, page);
        Assert.NotNull(OciAssert.Header(page, "Link"));
        await OciAssert.StatusAsync(HttpStatusCode.OK, none);
        Assert.Null(OciAssert.Header(none, "Link"));
        Assert.Contains("\"tags\":[]", (await none.Content.ReadAsStringAsync()).Replace(" ", ""));
        await OciAssert.StatusAsync(HttpStatusCode.OK, after);
        Assert.Contains("\"b\"", await after.Content.ReadAsStringAsync());
    }

    // end-9: deleting a tag or a manifest is 202, a GET of it is then 404; deleting what is not there is 404.
    [Fact]
    public async Task ManifestDelete_Is202_ThenGetIs404_Absent404()
    {
        var repository = TestContent.Repository("spec");
        var image = await Client.PushImageAsync(repository, "v1");
        await Client.PushManifestAsync(repository, "v2", image.Manifest.Body, image.Manifest.MediaType);

        using var tagDeleted = await Client.DeleteAsync($"/v2/{repository}/manifests/v1");
        using var tagGone = await Client.GetAsync($"/v2/{repository}/manifests/v1");
        using var manifestDeleted = await Client.DeleteAsync($"/v2/{repository}/manifests/{image.Digest}");
        using var manifestGone = await Client.GetAsync($"/v2/{repository}/manifests/{image.Digest}");
        using var otherTagGone = await Client.GetAsync($"/v2/{repository}/manifests/v2");
        using var again = await Client.DeleteAsync($"/v2/{repository}/manifests/{image.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, tagDeleted);
        await OciAssert.ErrorAsync(tagGone, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.StatusAsync(HttpStatusCode.Accepted, manifestDeleted);
        await OciAssert.ErrorAsync(manifestGone, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.ErrorAsync(otherTagGone, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.ErrorAsync(again, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    // end-10: deleting a blob is 202; deleting one that is not there MUST be 404.
    [Fact]
    public async Task BlobDelete_Is202_Absent404()
    {
        var repository = TestContent.Repository("spec");
        var blob = await Client.PushRandomBlobAsync(repository);

        using var deleted = await Client.DeleteAsync($"/v2/{repository}/blobs/{blob.Digest}");
        using var gone = await Client.GetAsync($"/v2/{repository}/blobs/{blob.Digest}");
        using var again = await Client.DeleteAsync($"/v2/{repository}/blobs/{blob.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, deleted);
        await OciAssert.ErrorAsync(gone, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await OciAssert.ErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    // end-11: a mount MUST be 201 with a Location; one the registry cannot do SHOULD be 202 (an upload session).
    [Fact]
    public async Task Mount_Is201_Unmountable202()
    {
        var source = TestContent.Repository("spec");
        var target = TestContent.Repository("spec");
        var blob = await Client.PushRandomBlobAsync(source);

        using var mounted = await Client.SendAsync(HttpMethod.Post, $"/v2/{target}/blobs/uploads/?mount={blob.Digest}&from={source}", RegistryClient.Octets([]));
        using var unmountable = await Client.SendAsync(HttpMethod.Post, $"/v2/{target}/blobs/uploads/?mount={TestContent.UnknownDigest()}&from={source}", RegistryClient.Octets([]));

        await OciAssert.StatusAsync(HttpStatusCode.Created, mounted);
        Assert.NotNull(mounted.Headers.Location);
        await OciAssert.StatusAsync(HttpStatusCode.Accepted, unmountable);
        Assert.NotNull(unmountable.Headers.Location);
    }

    // end-12a: referrers are 200 with an image index, never 404 (also for a subject with no referrers); an invalid
    // digest MUST be 400.
    [Fact]
    public async Task Referrers_Are200_Never404_InvalidDigest400()
    {
        var repository = TestContent.Repository("spec");
        var image = await Client.PushImageAsync(repository, "v1");

        using var known = await Client.GetAsync($"/v2/{repository}/referrers/{image.Digest}");
        using var unknownSubject = await Client.GetAsync($"/v2/{repository}/referrers/{TestContent.UnknownDigest()}");
        using var invalid = await Client.GetAsync($"/v2/{repository}/referrers/sha256:not-a-digest");

        await OciAssert.StatusAsync(HttpStatusCode.OK, known);
        Assert.Equal(MediaTypes.OciIndex, known.Content.Headers.ContentType?.MediaType);
        await OciAssert.StatusAsync(HttpStatusCode.OK, unknownSubject);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    // end-12b: a filter applied is 200 and says so in OCI-Filters-Applied.
    [Fact]
    public async Task Referrers_Filtered_Are200_WithFiltersApplied()
    {
        var repository = TestContent.Repository("spec");
        var image = await Client.PushImageAsync(repository, "v1");

        using var response = await Client.GetAsync($"/v2/{repository}/referrers/{image.Digest}?artifactType=application/vnd.example.sbom");

        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal("artifactType", OciAssert.Header(response, "OCI-Filters-Applied"));
    }

    // end-13: the status of an open upload MUST be 204 with Location and Range; of an unknown one, 404.
    [Fact]
    public async Task UploadStatus_Is204_Unknown404()
    {
        var repository = TestContent.Repository("spec");
        var location = await Client.StartUploadAsync(repository);
        using var chunk = await Client.PatchChunkAsync(location, TestContent.RandomBytes(7), 0);

        using var status = await Client.GetAsync(location);
        using var unknown = await Client.GetAsync($"/v2/{repository}/blobs/uploads/{Guid.NewGuid():N}");

        await Uploads.AssertProgressAsync(status, HttpStatusCode.NoContent, location, 7);
        await OciAssert.ErrorAsync(unknown, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    // Upload cancel (DELETE of the session, which the spec names as how to release one): 204, then the session is 404.
    [Fact]
    public async Task UploadCancel_Is204_ThenSessionIs404()
    {
        var repository = TestContent.Repository("spec");
        var location = await Client.StartUploadAsync(repository);

        using var cancelled = await Client.DeleteAsync(location);
        using var status = await Client.GetAsync(location);

        await OciAssert.StatusAsync(HttpStatusCode.NoContent, cancelled);
        await OciAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }
}
