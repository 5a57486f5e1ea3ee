using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Http;

/// <summary><c>PUT /v2/&lt;name&gt;/manifests/&lt;digest&gt;?tag=a&amp;tag=b</c> (distribution-spec main, beyond v1.1.1).</summary>
public sealed class MultiTagPushTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    [Fact]
    public async Task PutByDigest_WithTags_SetsEveryTag_AndNamesEachInOciTag()
    {
        var repository = TestContent.Repository("multitag");
        var (body, digest) = await ManifestAsync(repository);

        using var response = await PutAsync(repository, digest, body, "tag=1.2.3&tag=1.2&tag=1&tag=latest&tag=1.2");

        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        Assert.Equal($"/v2/{repository}/manifests/{digest}", response.Headers.Location?.ToString());
        Assert.Equal(digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal(["1.2.3", "1.2", "1", "latest"], response.Headers.GetValues("OCI-Tag").SelectMany(v => v.Split(", ")));
        Assert.Equal(["1", "1.2", "1.2.3", "latest"], await TagsAsync(repository));
        foreach (var tag in new[] { "1", "latest" })
        {
            using var get = await Client.GetAsync($"/v2/{repository}/manifests/{tag}");
            await OciAssert.StatusAsync(HttpStatusCode.OK, get);
            Assert.Equal(digest.ToString(), OciAssert.Header(get, "Docker-Content-Digest"));
            Assert.Equal(body, await get.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task PutByDigest_WithTags_MovesTagsFromAnotherManifest()
    {
        var repository = TestContent.Repository("multitag");
        var old = await Client.PushImageAsync(repository, "latest");
        var (body, digest) = await ManifestAsync(repository);

        using var response = await PutAsync(repository, digest, body, "tag=latest&tag=v2");

        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        using var latest = await Client.HeadAsync($"/v2/{repository}/manifests/latest");
        Assert.Equal(digest.ToString(), OciAssert.Header(latest, "Docker-Content-Digest"));
        using var oldByDigest = await Client.HeadAsync($"/v2/{repository}/manifests/{old.Digest}");
        await OciAssert.StatusAsync(HttpStatusCode.OK, oldByDigest);
    }

    [Fact]
    public async Task AnInvalidTagAmongThem_Is400_AndNothingChanges()
    {
        var repository = TestContent.Repository("multitag");
        var kept = await Client.PushImageAsync(repository, "stable");
        var (body, digest) = await ManifestAsync(repository);

        using var response = await PutAsync(repository, digest, body, "tag=stable&tag=v2&tag=-not-a-tag");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID");
        Assert.Null(OciAssert.Header(response, "OCI-Tag"));
        Assert.Equal(["stable"], await TagsAsync(repository));
        using var stable = await Client.HeadAsync($"/v2/{repository}/manifests/stable");
        Assert.Equal(kept.Digest.ToString(), OciAssert.Header(stable, "Docker-Content-Digest"));
        using var manifest = await Client.HeadAsync($"/v2/{repository}/manifests/{digest}");
        await OciAssert.ErrorAsync(manifest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task AnEmptyTag_Is400()
    {
        var repository = TestContent.Repository("multitag");
        var (body, digest) = await ManifestAsync(repository);

        using var response = await PutAsync(repository, digest, body, "tag=v1&tag=");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID");
        using var manifest = await Client.HeadAsync($"/v2/{repository}/manifests/{digest}");
        await OciAssert.ErrorAsync(manifest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task ByTagReference_WithTagParameters_Is400_AndNothingChanges()
    {
        var repository = TestContent.Repository("multitag");
        var (body, digest) = await ManifestAsync(repository);

        using var response = await Client.SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/v1?tag=v2", RegistryClient.Content(body, MediaTypes.OciManifest));

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID");
        using var manifest = await Client.HeadAsync($"/v2/{repository}/manifests/{digest}");
        await OciAssert.ErrorAsync(manifest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        using var tags = await Client.GetAsync($"/v2/{repository}/tags/list");
        await OciAssert.ErrorAsync(tags, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task MoreTagsThanTheLimit_Is414_AndTheLimitItselfIsAccepted()
    {
        var repository = TestContent.Repository("multitag");
        var (body, digest) = await ManifestAsync(repository);
        const int limit = Oci.ManifestTags.MaxPerRequest;

        using var tooMany = await PutAsync(repository, digest, body, Query(limit + 1));
        using var atLimit = await PutAsync(repository, digest, body, Query(limit));

        await OciAssert.ErrorAsync(tooMany, HttpStatusCode.RequestUriTooLong, "TAG_INVALID");
        await OciAssert.StatusAsync(HttpStatusCode.Created, atLimit);
        Assert.Equal(limit, (await TagsAsync(repository)).Count);
        Assert.Equal(limit, atLimit.Headers.GetValues("OCI-Tag").SelectMany(v => v.Split(", ")).Count());

        static string Query(int count) => string.Join('&', Enumerable.Range(0, count).Select(i => $"tag=t{i}"));
    }

    [Fact]
    public async Task PutBySha512Digest_WithTags_TagsTheSha512Manifest()
    {
        var repository = TestContent.Repository("multitag");
        var (body, _) = await ManifestAsync(repository);
        var digest = Digest.Compute(body, Digest.Sha512);

        using var response = await PutAsync(repository, digest, body, "tag=v1&tag=latest");

        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        Assert.Equal(digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        using var latest = await Client.GetAsync($"/v2/{repository}/manifests/latest");
        Assert.Equal(digest.ToString(), OciAssert.Header(latest, "Docker-Content-Digest"));
        Assert.Equal(body, await latest.Content.ReadAsByteArrayAsync());
    }

    private async Task<(byte[] Body, Digest Digest)> ManifestAsync(string repository)
    {
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var body = Bytes(Image(config, [layer]));
        return (body, Digest.Compute(body));
    }

    private Task<HttpResponseMessage> PutAsync(string repository, Digest digest, byte[] body, string query) =>
        Client.SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{digest}?{query}", RegistryClient.Content(body, MediaTypes.OciManifest));

    private async Task<IReadOnlyList<string>> TagsAsync(string repository)
    {
        using var response = await Client.GetAsync($"/v2/{repository}/tags/list");
        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
    }
}
