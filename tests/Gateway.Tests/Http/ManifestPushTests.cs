using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Http;

public sealed class ManifestPushTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    [Fact]
    public async Task PutByTag_Is201_WithLocationAndDigest()
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var body = Bytes(Image(config, [layer]));
        var digest = Digest.Compute(body);

        using var response = await Client.PutManifestAsync(repository, "v1", body, MediaTypes.OciManifest);

        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        Assert.Equal($"/v2/{repository}/manifests/{digest}", response.Headers.Location?.ToString());
        Assert.Equal(digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        Assert.Null(OciAssert.Header(response, "OCI-Subject"));
    }

    [Fact]
    public async Task PutByDigest_Is201_AndIsPullableByThatDigestOnly()
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var body = Bytes(Image(config, [layer]));
        var digest = Digest.Compute(body);

        using var response = await Client.PutManifestAsync(repository, digest.ToString(), body, MediaTypes.OciManifest);
        using var get = await Client.GetAsync($"/v2/{repository}/manifests/{digest}");
        using var tags = await Client.GetAsync($"/v2/{repository}/tags/list");

        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        Assert.Equal($"/v2/{repository}/manifests/{digest}", response.Headers.Location?.ToString());
        Assert.Equal(digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal(body, await get.Content.ReadAsByteArrayAsync());
        Assert.Empty((await tags.Content.ReadFromJsonAsync<JsonObject>())!["tags"]!.AsArray());
    }

    [Fact]
    public async Task PutBySha512Digest_IsAccepted()
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var body = Bytes(Image(config, [layer]));
        var digest = Digest.Compute(body, Digest.Sha512);

        using var response = await Client.PutManifestAsync(repository, digest.ToString(), body, MediaTypes.OciManifest);
        using var get = await Client.GetAsync($"/v2/{repository}/manifests/{digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        Assert.Equal(digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        await OciAssert.StatusAsync(HttpStatusCode.OK, get);
        Assert.Equal(body, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task WithASubject_AnswersOciSubject()
    {
        var repository = TestContent.Repository("manifests");
        var image = await Client.PushImageAsync(repository, "v1");
        await Client.PushBlobAsync(repository, EmptyJson, MediaTypes.OciEmpty);
        var body = Bytes(Image(EmptyConfig, [EmptyConfig], artifactType: "application/vnd.example.sig", subject: image.Manifest.Ref));

        using var response = await Client.PutManifestAsync(repository, Digest.Compute(body).ToString(), body, MediaTypes.OciManifest);

        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        Assert.Equal(image.Digest.ToString(), OciAssert.Header(response, "OCI-Subject"));
    }

    [Fact]
    public async Task OciIndex_OfPushedManifests()
    {
        var repository = TestContent.Repository("manifests");
        var amd64 = await Client.PushImageAsync(repository, tag: null);
        var arm64 = await Client.PushImageAsync(repository, tag: null);
        var body = Bytes(Index([amd64.Manifest.Ref, arm64.Manifest.Ref]));

        var index = await Client.PushManifestAsync(repository, "multi", body, MediaTypes.OciIndex);
        using var get = await Client.GetAsync($"/v2/{repository}/manifests/multi");

        Assert.Equal(MediaTypes.OciIndex, get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(index.Digest.ToString(), OciAssert.Header(get, "Docker-Content-Digest"));
        Assert.Equal(body, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task DockerSchema2Manifest_AndManifestList()
    {
        var repository = TestContent.Repository("manifests");
        var first = await Client.PushImageAsync(repository, "amd64", mediaType: MediaTypes.DockerManifest);
        var second = await Client.PushImageAsync(repository, "arm64", mediaType: MediaTypes.DockerManifest);
        var listBody = Bytes(Index([first.Manifest.Ref, second.Manifest.Ref], MediaTypes.DockerManifestList));

        var list = await Client.PushManifestAsync(repository, "latest", listBody, MediaTypes.DockerManifestList);
        using var getList = await Client.GetAsync($"/v2/{repository}/manifests/latest");
        using var getImage = await Client.GetAsync($"/v2/{repository}/manifests/amd64");

        Assert.Equal(MediaTypes.DockerManifestList, getList.Content.Headers.ContentType?.MediaType);
        Assert.Equal(list.Digest.ToString(), OciAssert.Header(getList, "Docker-Content-Digest"));
        Assert.Equal(listBody, await getList.Content.ReadAsByteArrayAsync());
        Assert.Equal(MediaTypes.DockerManifest, getImage.Content.Headers.ContentType?.MediaType);
        Assert.Equal(first.Manifest.Body, await getImage.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Artifact_WithArtifactType_AndTheEmptyConfig()
    {
        var repository = TestContent.Repository("manifests");
        var empty = await Client.PushBlobAsync(repository, EmptyJson, MediaTypes.OciEmpty);
        var payload = await Client.PushRandomBlobAsync(repository, 300, "application/vnd.example.payload");
        var body = Bytes(Image(empty, [payload], artifactType: "application/vnd.example.artifact.v1"));

        var artifact = await Client.PushManifestAsync(repository, "artifact", body, MediaTypes.OciManifest);
        using var get = await Client.GetAsync($"/v2/{repository}/manifests/artifact");
        using var config = await Client.GetAsync($"/v2/{repository}/blobs/{EmptyConfig.Digest}");

        Assert.Equal(EmptyConfig, empty);
        Assert.Equal(body, await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(artifact.Digest.ToString(), OciAssert.Header(get, "Docker-Content-Digest"));
        Assert.Equal("{}", await config.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CustomConfigMediaType_IsAccepted()
    {
        var repository = TestContent.Repository("manifests");
        var config = await Client.PushBlobAsync(repository, TestContent.Utf8("{\"chart\":\"demo\"}"), "application/vnd.cncf.helm.config.v1+json");
        var layer = await Client.PushRandomBlobAsync(repository, 100, "application/vnd.cncf.helm.chart.content.v1.tar+gzip");

        var pushed = await Client.PushManifestAsync(repository, "0.1.0", Bytes(Image(config, [layer])), MediaTypes.OciManifest);
        using var head = await Client.HeadAsync($"/v2/{repository}/manifests/0.1.0");

        await OciAssert.StatusAsync(HttpStatusCode.OK, head);
        Assert.Equal(pushed.Digest.ToString(), OciAssert.Header(head, "Docker-Content-Digest"));
    }

    [Fact]
    public async Task Tag_128Characters_IsAccepted()
    {
        var repository = TestContent.Repository("manifests");
        var tag = new string('t', 128);

        await Client.PushImageAsync(repository, tag);
        using var head = await Client.HeadAsync($"/v2/{repository}/manifests/{tag}");

        await OciAssert.StatusAsync(HttpStatusCode.OK, head);
    }

    [Fact]
    public async Task Retagging_MovesTheTag_AndKeepsTheOldManifest()
    {
        var repository = TestContent.Repository("manifests");
        var old = await Client.PushImageAsync(repository, "latest");
        var replacement = await Client.PushImageAsync(repository, "latest");

        using var byTag = await Client.GetAsync($"/v2/{repository}/manifests/latest");
        using var oldByDigest = await Client.HeadAsync($"/v2/{repository}/manifests/{old.Digest}");

        Assert.Equal(replacement.Digest.ToString(), OciAssert.Header(byTag, "Docker-Content-Digest"));
        await OciAssert.StatusAsync(HttpStatusCode.OK, oldByDigest);
    }

    [Fact]
    public async Task PushingTheSameManifestTwice_UnderTwoTags_ResolvesBoth()
    {
        var repository = TestContent.Repository("manifests");
        var image = await Client.PushImageAsync(repository, "one");

        await Client.PushManifestAsync(repository, "two", image.Manifest.Body, MediaTypes.OciManifest);
        using var one = await Client.HeadAsync($"/v2/{repository}/manifests/one");
        using var two = await Client.HeadAsync($"/v2/{repository}/manifests/two");

        Assert.Equal(image.Digest.ToString(), OciAssert.Header(one, "Docker-Content-Digest"));
        Assert.Equal(image.Digest.ToString(), OciAssert.Header(two, "Docker-Content-Digest"));
    }
}
