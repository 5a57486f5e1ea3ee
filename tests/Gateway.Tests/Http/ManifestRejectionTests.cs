using System.Net;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Http;

/// <summary>Manifests the registry must refuse (and nothing of them stored), and the size limit's boundary.</summary>
public sealed class ManifestRejectionTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    [Fact]
    public async Task MissingBlob_IsManifestBlobUnknown_AndNothingIsStored()
    {
        var repository = TestContent.Repository("manifests");
        var (config, _) = await Client.PushConfigAndLayerAsync(repository);
        var missing = new BlobRef(OciLayerType, TestContent.UnknownDigest(), 100);
        var body = Bytes(Image(config, [missing]));

        using var response = await Client.PutManifestAsync(repository, "v1", body, MediaTypes.OciManifest);
        using var byTag = await Client.GetAsync($"/v2/{repository}/manifests/v1");
        using var byDigest = await Client.GetAsync($"/v2/{repository}/manifests/{Digest.Compute(body)}");

        using var asBlob = await Client.GetAsync($"/v2/{repository}/blobs/{Digest.Compute(body)}");
        var digest = Digest.Compute(body);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        await OciAssert.ErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.ErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.ErrorAsync(asBlob, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        Assert.False(File.Exists(Path.Combine(registry.DataDir, "blobs", "sha256", digest.Hex[..2], digest.Hex)), "a rejected manifest's bytes were stored");
        Assert.Empty(Directory.GetFiles(Path.Combine(registry.DataDir, "uploads"), "manifest-*"));
    }

    [Fact]
    public async Task BlobOnlyInAnotherRepository_IsManifestBlobUnknown()
    {
        var repository = TestContent.Repository("manifests");
        var elsewhere = TestContent.Repository("manifests");
        var (config, _) = await Client.PushConfigAndLayerAsync(repository);
        var foreignLayer = await Client.PushRandomBlobAsync(elsewhere);

        using var response = await Client.PutManifestAsync(repository, "v1", Bytes(Image(config, [foreignLayer])), MediaTypes.OciManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task IndexWithAMissingChild_IsManifestUnknown_AndNothingIsStored()
    {
        var repository = TestContent.Repository("manifests");
        var child = await Client.PushImageAsync(repository, tag: null);
        var missing = new BlobRef(MediaTypes.OciManifest, TestContent.UnknownDigest(), 500);

        using var response = await Client.PutManifestAsync(repository, "multi", Bytes(Index([child.Manifest.Ref, missing])), MediaTypes.OciIndex);
        using var byTag = await Client.GetAsync($"/v2/{repository}/manifests/multi");

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await OciAssert.ErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task BodyNotMatchingTheContentType_IsManifestInvalid()
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);

        using var response = await Client.PutManifestAsync(repository, "v1", Bytes(Image(config, [layer])), MediaTypes.OciIndex);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"schemaVersion\": 2, ")]
    [InlineData("[1, 2, 3]")]
    [InlineData("")]
    public async Task InvalidJson_IsManifestInvalid(string body)
    {
        var repository = TestContent.Repository("manifests");

        using var response = await Client.PutManifestAsync(repository, "v1", TestContent.Utf8(body), MediaTypes.OciManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task SchemaVersion1_IsManifestInvalid()
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var manifest = Image(config, [layer]);
        manifest["schemaVersion"] = 1;

        using var response = await Client.PutManifestAsync(repository, "v1", Bytes(manifest), MediaTypes.OciManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task DescriptorWithAnInvalidDigest_IsDigestInvalid()
    {
        var repository = TestContent.Repository("manifests");
        var (config, _) = await Client.PushConfigAndLayerAsync(repository);
        var manifest = Image(config, []);
        manifest["layers"] = new JsonArray(new JsonObject { ["mediaType"] = OciLayerType, ["digest"] = "sha256:nothex", ["size"] = 1 });

        using var response = await Client.PutManifestAsync(repository, "v1", Bytes(manifest), MediaTypes.OciManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Exactly4MiB_IsAccepted()
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var body = Pad(Image(config, [layer]), ManifestParser.MaxManifestBytes);

        var pushed = await Client.PushManifestAsync(repository, "big", body, MediaTypes.OciManifest);
        using var get = await Client.GetAsync($"/v2/{repository}/manifests/big");

        Assert.Equal(body.Length, get.Content.Headers.ContentLength);
        Assert.Equal(pushed.Digest.ToString(), OciAssert.Header(get, "Docker-Content-Digest"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Over4MiB_Is413(bool withContentLength)
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var body = Pad(Image(config, [layer]), ManifestParser.MaxManifestBytes + 1);
        HttpContent content = withContentLength ? new ByteArrayContent(body) : new StreamContent(new NonSeekableStream(body));
        content.Headers.ContentType = new(MediaTypes.OciManifest);

        using var response = await Client.SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/big", content);
        using var get = await Client.GetAsync($"/v2/{repository}/manifests/big");

        await OciAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "MANIFEST_INVALID");
        await OciAssert.ErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task DigestReferenceNotMatchingTheBody_IsDigestInvalid()
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var body = Bytes(Image(config, [layer]));

        using var response = await Client.PutManifestAsync(repository, TestContent.UnknownDigest().ToString(), body, MediaTypes.OciManifest);
        using var get = await Client.GetAsync($"/v2/{repository}/manifests/{Digest.Compute(body)}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await OciAssert.ErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    public static TheoryData<string> InvalidTags() => ["-leading-dash", ".leading-dot", "with+plus", new string('a', 129)];

    [Theory]
    [MemberData(nameof(InvalidTags))]
    public async Task InvalidTag_IsTagInvalid(string tag)
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);

        using var response = await Client.PutManifestAsync(repository, tag, Bytes(Image(config, [layer])), MediaTypes.OciManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID");
    }

    /// <summary>Pads a manifest with an annotation so its serialised form is exactly <paramref name="size"/> bytes.</summary>
    private static byte[] Pad(JsonObject manifest, int size)
    {
        manifest["annotations"] = new JsonObject { ["padding"] = "" };
        var unpadded = TestContent.Utf8(manifest.ToJsonString()).Length;
        manifest["annotations"]!["padding"] = new string('x', size - unpadded);
        var body = TestContent.Utf8(manifest.ToJsonString());
        Assert.Equal(size, body.Length);
        return body;
    }

    private sealed class NonSeekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
