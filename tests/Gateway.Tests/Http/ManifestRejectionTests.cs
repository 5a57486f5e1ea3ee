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
    public async Task IndexWithAMissingChild_IsManifestBlobUnknown_AndNothingIsStored()
    {
        var repository = TestContent.Repository("manifests");
        var child = await Client.PushImageAsync(repository, tag: null);
        var missing = new BlobRef(MediaTypes.OciManifest, TestContent.UnknownDigest(), 500);

        using var response = await Client.PutManifestAsync(repository, "multi", Bytes(Index([child.Manifest.Ref, missing])), MediaTypes.OciIndex);
        using var byTag = await Client.GetAsync($"/v2/{repository}/manifests/multi");

        var error = await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        Assert.Equal(missing.Digest.ToString(), error.GetProperty("detail").GetString());
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

    public static TheoryData<string, string> WrongJsonTypes() => new()
    {
        { "layers", "\"abc\"" },
        { "config", "[]" },
        { "mediaType", "5" },
        { "config.size", "\"12\"" },
        { "layers[0].size", "-1" },
        { "layers[0].size", "1.5" },
        { "layers[0].mediaType", "true" },
        { "layers[0].platform", "\"linux\"" },
        { "layers[0].urls", "\"https://example.com/layer\"" },
        { "annotations", "[]" },
        { "artifactType", "{}" },
    };

    /// <summary>A field of the wrong JSON type is refused naming the field, never read as absent.</summary>
    [Theory]
    [MemberData(nameof(WrongJsonTypes))]
    public async Task FieldOfTheWrongType_IsManifestInvalid_NamingIt(string field, string json)
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var manifest = Image(config, [layer]);
        Set(manifest, field, JsonNode.Parse(json));

        using var response = await Client.PutManifestAsync(repository, "v1", Bytes(manifest), MediaTypes.OciManifest);

        await AssertInvalidNamingAsync(response, field);
    }

    [Theory]
    [InlineData("manifests", "{}")]
    [InlineData("manifests[0].size", "\"12\"")]
    [InlineData("manifests[0].platform", "[]")]
    public async Task IndexFieldOfTheWrongType_IsManifestInvalid_NamingIt(string field, string json)
    {
        var repository = TestContent.Repository("manifests");
        var child = await Client.PushImageAsync(repository, tag: null);
        var index = Index([child.Manifest.Ref]);
        Set(index, field, JsonNode.Parse(json));

        using var response = await Client.PutManifestAsync(repository, "multi", Bytes(index), MediaTypes.OciIndex);

        await AssertInvalidNamingAsync(response, field);
    }

    [Fact]
    public async Task InvalidUtf8_IsManifestInvalid()
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var manifest = Image(config, [layer], annotations: new Dictionary<string, string> { ["note"] = "@@" });
        var body = Bytes(manifest);
        var at = Array.IndexOf(body, (byte)'@');
        body[at] = 0xC3; // a lead byte followed by '@': not a UTF-8 sequence
        using var response = await Client.PutManifestAsync(repository, "v1", body, MediaTypes.OciManifest);
        using var get = await Client.GetAsync($"/v2/{repository}/manifests/v1");

        await AssertInvalidNamingAsync(response, "UTF-8");
        await OciAssert.ErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task DuplicateKey_IsManifestInvalid()
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var text = TestContent.Utf8(Image(config, [layer]).ToJsonString());
        // A second, empty layers list: a reader keeping the last one would see an image without layers.
        var body = TestContent.Utf8(System.Text.Encoding.UTF8.GetString(text).TrimEnd('}') + ",\"layers\":[]}");

        using var response = await Client.PutManifestAsync(repository, "v1", body, MediaTypes.OciManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Theory]
    [InlineData("config", 1)]
    [InlineData("layers[0]", -1)]
    [InlineData("layers[0]", 1000)]
    public async Task SizeNotMatchingTheStoredBlob_IsManifestInvalid_AndNothingIsStored(string field, long delta)
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var manifest = field == "config"
            ? Image(config with { Size = config.Size + delta }, [layer])
            : Image(config, [layer with { Size = layer.Size + delta }]);
        var body = Bytes(manifest);

        using var response = await Client.PutManifestAsync(repository, "v1", body, MediaTypes.OciManifest);
        using var byDigest = await Client.GetAsync($"/v2/{repository}/manifests/{Digest.Compute(body)}");

        await AssertInvalidNamingAsync(response, $"{field}.size");
        await OciAssert.ErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task IndexChildSizeNotMatchingTheStoredManifest_IsManifestInvalid()
    {
        var repository = TestContent.Repository("manifests");
        var first = await Client.PushImageAsync(repository, tag: null);
        var second = await Client.PushImageAsync(repository, tag: null);
        var wrong = second.Manifest.Ref with { Size = second.Manifest.Ref.Size + 1 };

        using var response = await Client.PutManifestAsync(repository, "multi", Bytes(Index([first.Manifest.Ref, wrong])), MediaTypes.OciIndex);
        using var byTag = await Client.GetAsync($"/v2/{repository}/manifests/multi");

        await AssertInvalidNamingAsync(response, "manifests[1].size");
        await OciAssert.ErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task ForeignLayerWithUrls_NotStored_IsStillAccepted()
    {
        var repository = TestContent.Repository("manifests");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository, docker: true);
        var manifest = Image(config, [layer], MediaTypes.DockerManifest);
        var foreign = new BlobRef("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", TestContent.UnknownDigest(), 4096).ToJson();
        foreign["urls"] = new JsonArray("https://example.com/foreign-layer");
        manifest["layers"]!.AsArray().Add(foreign);

        await Client.PushManifestAsync(repository, "v1", Bytes(manifest), MediaTypes.DockerManifest);
    }

    /// <summary>Sets <paramref name="path"/> (<c>a</c>, <c>a.b</c>, <c>a[0].b</c>) in <paramref name="manifest"/>.</summary>
    private static void Set(JsonObject manifest, string path, JsonNode? value)
    {
        JsonNode node = manifest;
        var parts = path.Replace("[0]", ".0").Split('.');
        foreach (var part in parts[..^1]) node = int.TryParse(part, out var i) ? node[i]! : node[part]!;
        node.AsObject()[parts[^1]] = value;
    }

    private static async Task AssertInvalidNamingAsync(HttpResponseMessage response, string field)
    {
        var error = await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        Assert.Contains(field, error.GetProperty("message").GetString());
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
