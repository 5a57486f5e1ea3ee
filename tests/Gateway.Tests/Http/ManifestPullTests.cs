using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Http;

public sealed class ManifestPullTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    public static TheoryData<string> MediaTypesPushed() => [MediaTypes.OciManifest, MediaTypes.DockerManifest];

    [Theory]
    [MemberData(nameof(MediaTypesPushed))]
    public async Task Get_ByTagAndByDigest_ReturnsTheExactBytes_WithTypeDigestAndLength(string mediaType)
    {
        var repository = TestContent.Repository("pull");
        var image = await Client.PushImageAsync(repository, "v1", mediaType: mediaType);

        foreach (var reference in new[] { "v1", image.Digest.ToString() })
        {
            using var response = await Client.GetAsync($"/v2/{repository}/manifests/{reference}");

            await OciAssert.StatusAsync(HttpStatusCode.OK, response);
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(image.Digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
            Assert.Equal(image.Manifest.Body.Length, response.Content.Headers.ContentLength);
            Assert.Equal(image.Manifest.Body, await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Head_ByTagAndByDigest_HasTheHeaders_AndNoBody()
    {
        var repository = TestContent.Repository("pull");
        var image = await Client.PushImageAsync(repository, "v1");

        foreach (var reference in new[] { "v1", image.Digest.ToString() })
        {
            using var response = await Client.HeadAsync($"/v2/{repository}/manifests/{reference}");

            await OciAssert.StatusAsync(HttpStatusCode.OK, response);
            Assert.Equal(MediaTypes.OciManifest, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(image.Digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
            Assert.Equal(image.Manifest.Body.Length, response.Content.Headers.ContentLength);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Get_WithAnAcceptHeader_StillReturnsTheStoredManifest()
    {
        var repository = TestContent.Repository("pull");
        var image = await Client.PushImageAsync(repository, "v1");

        using var response = await Client.SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/v1", configure: r =>
        {
            r.Headers.Accept.ParseAdd(MediaTypes.OciManifest);
            r.Headers.Accept.ParseAdd(MediaTypes.OciIndex);
            r.Headers.Accept.ParseAdd(MediaTypes.DockerManifest);
        });

        Assert.Equal(image.Manifest.Body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_Unknown_IsManifestUnknown()
    {
        var repository = TestContent.Repository("pull");
        await Client.PushImageAsync(repository, "v1");

        using var byTag = await Client.GetAsync($"/v2/{repository}/manifests/nope");
        using var byDigest = await Client.GetAsync($"/v2/{repository}/manifests/{TestContent.UnknownDigest()}");
        using var head = await Client.HeadAsync($"/v2/{repository}/manifests/nope");
        using var unknownRepository = await Client.GetAsync($"/v2/{TestContent.Repository("pull")}/manifests/v1");

        await OciAssert.ErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.ErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.ErrorAsync(head, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(HttpStatusCode.NotFound, unknownRepository.StatusCode);
    }

    [Fact]
    public async Task Get_AManifestOfAnotherRepository_IsManifestUnknown()
    {
        var owner = TestContent.Repository("pull");
        var other = TestContent.Repository("pull");
        var image = await Client.PushImageAsync(owner, "v1");
        await Client.PushImageAsync(other, "v1");

        using var response = await Client.GetAsync($"/v2/{other}/manifests/{image.Digest}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Get_WithAnInvalidDigestReference_IsManifestUnknown()
    {
        // Like any reference that is neither a tag nor a digest: it names no manifest (the spec's 404, as Distribution).
        var repository = TestContent.Repository("pull");

        using var response = await Client.GetAsync($"/v2/{repository}/manifests/sha256:1234");

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task ManifestBytes_AreAlsoABlobOfTheRepository()
    {
        var repository = TestContent.Repository("pull");
        var image = await Client.PushImageAsync(repository, "v1");

        using var response = await Client.GetAsync($"/v2/{repository}/blobs/{image.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(image.Manifest.Body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task DeleteByDigest_Is202_AndItsTagsGoToo()
    {
        var repository = TestContent.Repository("pull");
        var image = await Client.PushImageAsync(repository, "a");
        await Client.PushManifestAsync(repository, "b", image.Manifest.Body, MediaTypes.OciManifest);
        var kept = await Client.PushImageAsync(repository, "c");

        using var delete = await Client.DeleteAsync($"/v2/{repository}/manifests/{image.Digest}");
        using var byDigest = await Client.GetAsync($"/v2/{repository}/manifests/{image.Digest}");
        using var tagA = await Client.GetAsync($"/v2/{repository}/manifests/a");
        using var tagB = await Client.HeadAsync($"/v2/{repository}/manifests/b");
        using var tagC = await Client.HeadAsync($"/v2/{repository}/manifests/c");
        var tags = await Client.Http.GetFromJsonAsync<JsonObject>($"/v2/{repository}/tags/list");

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, delete);
        await OciAssert.ErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.ErrorAsync(tagA, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.StatusAsync(HttpStatusCode.NotFound, tagB);
        Assert.Equal(kept.Digest.ToString(), OciAssert.Header(tagC, "Docker-Content-Digest"));
        Assert.Equal(["c"], tags!["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task DeleteByTag_Is202_OnlyTheTagGoes()
    {
        var repository = TestContent.Repository("pull");
        var image = await Client.PushImageAsync(repository, "a");
        await Client.PushManifestAsync(repository, "b", image.Manifest.Body, MediaTypes.OciManifest);

        using var delete = await Client.DeleteAsync($"/v2/{repository}/manifests/a");
        using var tagA = await Client.GetAsync($"/v2/{repository}/manifests/a");
        using var tagB = await Client.HeadAsync($"/v2/{repository}/manifests/b");
        using var byDigest = await Client.GetAsync($"/v2/{repository}/manifests/{image.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, delete);
        await OciAssert.ErrorAsync(tagA, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.StatusAsync(HttpStatusCode.OK, tagB);
        await OciAssert.StatusAsync(HttpStatusCode.OK, byDigest);
        Assert.Equal(image.Manifest.Body, await byDigest.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Delete_Unknown_IsManifestUnknown()
    {
        var repository = TestContent.Repository("pull");
        await Client.PushImageAsync(repository, "v1");

        using var byTag = await Client.DeleteAsync($"/v2/{repository}/manifests/nope");
        using var byDigest = await Client.DeleteAsync($"/v2/{repository}/manifests/{TestContent.UnknownDigest()}");
        using var unknownRepository = await Client.DeleteAsync($"/v2/{TestContent.Repository("pull")}/manifests/v1");

        await OciAssert.ErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.ErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(HttpStatusCode.NotFound, unknownRepository.StatusCode);
    }

    [Fact]
    public async Task Delete_Twice_IsManifestUnknownTheSecondTime()
    {
        var repository = TestContent.Repository("pull");
        var image = await Client.PushImageAsync(repository, "v1");

        using var first = await Client.DeleteAsync($"/v2/{repository}/manifests/{image.Digest}");
        using var second = await Client.DeleteAsync($"/v2/{repository}/manifests/{image.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, first);
        await OciAssert.ErrorAsync(second, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task DeletedManifest_CanBePushedAgain()
    {
        var repository = TestContent.Repository("pull");
        var image = await Client.PushImageAsync(repository, "v1");
        using var delete = await Client.DeleteAsync($"/v2/{repository}/manifests/{image.Digest}");

        await Client.PushManifestAsync(repository, "v1", image.Manifest.Body, MediaTypes.OciManifest);
        using var get = await Client.GetAsync($"/v2/{repository}/manifests/v1");

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, delete);
        Assert.Equal(image.Manifest.Body, await get.Content.ReadAsByteArrayAsync());
    }
}
