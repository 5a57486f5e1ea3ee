using System.Text.Json.Nodes;
using Nscr.Oci;
using static Nscr.Grains.Interfaces.Tests.Oci.ManifestJson;

namespace Nscr.Grains.Interfaces.Tests.Oci;

public sealed class ManifestParserRejectionTests
{
    [Fact]
    public void DockerSchema2Manifest_WithoutLayers_IsInvalid()
    {
        var manifest = Image(MediaTypes.DockerManifest, DockerConfigType);
        manifest.Remove("layers");

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(manifest), MediaTypes.DockerManifest);
    }

    [Theory]
    [InlineData(MediaTypes.OciIndex, MediaTypes.OciManifest)]
    [InlineData(MediaTypes.DockerManifest, MediaTypes.OciManifest)]
    [InlineData(MediaTypes.OciManifest, MediaTypes.DockerManifest)]
    [InlineData(MediaTypes.DockerManifestList, MediaTypes.OciIndex)]
    public void ContentType_NotMatchingTheBodyMediaType_IsManifestInvalid(string bodyType, string contentType)
    {
        var body = MediaTypes.IsIndex(bodyType) ? Index(bodyType) : Image(bodyType);

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(body), contentType);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/vnd.docker.distribution.manifest.v1+prettyjws")]
    [InlineData("application/vnd.oci.image.config.v1+json")]
    public void UnsupportedContentType_IsManifestInvalid(string contentType)
    {
        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(Image(mediaType: null)), contentType);
    }

    [Fact]
    public void UnsupportedBodyMediaType_WithGenericContentType_IsManifestInvalid()
    {
        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(Image("application/vnd.example.thing")), "application/json");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{")]
    [InlineData("{\"schemaVersion\": 2,}")]
    [InlineData("{\"schemaVersion\": 2} trailing")]
    public void NotJson_IsManifestInvalid(string body)
    {
        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(body), MediaTypes.OciManifest);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"manifest\"")]
    [InlineData("2")]
    [InlineData("null")]
    public void NotAnObject_IsManifestInvalid(string body)
    {
        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(body), MediaTypes.OciManifest);
    }

    [Fact]
    public void MissingConfig_IsManifestInvalid()
    {
        var manifest = Image();
        manifest.Remove("config");

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(manifest), MediaTypes.OciManifest);
    }

    [Fact]
    public void IndexWithoutManifests_IsManifestInvalid()
    {
        var index = Index();
        index.Remove("manifests");

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(index), MediaTypes.OciIndex);
    }

    [Fact]
    public void IndexWithConfig_AndManifestWithManifests_AreManifestInvalid()
    {
        var index = Index();
        index["config"] = Descriptor(ConfigType, DigestOf("config"), 1);
        var manifest = Image();
        manifest["manifests"] = new JsonArray();

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(index), MediaTypes.OciIndex);
        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(manifest), MediaTypes.OciManifest);
    }

    public static TheoryData<JsonNode?> BadSchemaVersions() => new() { 1, 3, "2", 2.5, null };

    [Theory]
    [MemberData(nameof(BadSchemaVersions))]
    public void SchemaVersion_Not2_IsManifestInvalid(JsonNode? version)
    {
        var manifest = Image();
        manifest["schemaVersion"] = version;

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(manifest), MediaTypes.OciManifest);
    }

    [Fact]
    public void SchemaVersion_Missing_IsManifestInvalid()
    {
        var manifest = Image();
        manifest.Remove("schemaVersion");

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(manifest), MediaTypes.OciManifest);
    }

    [Theory]
    [InlineData("config")]
    [InlineData("layer")]
    [InlineData("subject")]
    public void DescriptorWithABadDigest_IsDigestInvalid(string where)
    {
        var manifest = Image();
        var bad = "sha256:" + new string('Z', 64);
        switch (where)
        {
            case "config": manifest["config"]!["digest"] = bad; break;
            case "layer": manifest["layers"]![1]!["digest"] = bad; break;
            default: manifest["subject"] = new JsonObject { ["mediaType"] = MediaTypes.OciManifest, ["digest"] = bad, ["size"] = 1 }; break;
        }

        AssertInvalid(OciErrorCode.DigestInvalid, Bytes(manifest), MediaTypes.OciManifest);
    }

    [Fact]
    public void IndexChildWithABadDigest_IsDigestInvalid()
    {
        var index = Index();
        index["manifests"]![0]!["digest"] = "md5:d41d8cd98f00b204e9800998ecf8427e";

        AssertInvalid(OciErrorCode.DigestInvalid, Bytes(index), MediaTypes.OciIndex);
    }

    public static TheoryData<string, JsonNode?> BadDescriptorFields() => new()
    {
        { "size", -1 },
        { "size", "12" },
        { "size", 1.5 },
        { "size", null },
        { "mediaType", null },
        { "mediaType", 7 },
        { "digest", null },
    };

    [Theory]
    [MemberData(nameof(BadDescriptorFields))]
    public void DescriptorWithABadField_IsManifestInvalid(string field, JsonNode? value)
    {
        var manifest = Image();
        manifest["layers"]![0]![field] = value;

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(manifest), MediaTypes.OciManifest);
    }

    [Fact]
    public void DescriptorNotAnObject_IsManifestInvalid()
    {
        var manifest = Image();
        manifest["layers"]![0] = "sha256:abc";

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(manifest), MediaTypes.OciManifest);
    }

    public static TheoryData<JsonNode> BadAnnotations() => new()
    {
        new JsonArray("a"),
        "text",
        new JsonObject { ["k"] = 1 },
        new JsonObject { ["k"] = new JsonObject() },
    };

    [Theory]
    [MemberData(nameof(BadAnnotations))]
    public void Annotations_NotAnObjectOfStrings_AreManifestInvalid(JsonNode annotations)
    {
        var manifest = Image();
        manifest["annotations"] = annotations;

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(manifest), MediaTypes.OciManifest);
    }

    [Fact]
    public void ArtifactType_NotAString_IsManifestInvalid()
    {
        var manifest = Image();
        manifest["artifactType"] = 3;

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(manifest), MediaTypes.OciManifest);
    }

    public static TheoryData<string, string, JsonNode?> WrongTypes() => new()
    {
        { MediaTypes.OciManifest, "layers", "abc" },
        { MediaTypes.OciManifest, "layers", new JsonObject() },
        { MediaTypes.DockerManifest, "layers", 3 },
        { MediaTypes.OciManifest, "config", new JsonArray() },
        { MediaTypes.OciManifest, "mediaType", 5 },
        { MediaTypes.OciIndex, "manifests", new JsonObject() },
        { MediaTypes.DockerManifestList, "manifests", "x" },
        { MediaTypes.OciIndex, "manifests", null },
    };

    /// <summary>A typed field of the wrong JSON type is refused, naming the field, never taken as absent.</summary>
    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void FieldOfTheWrongType_IsManifestInvalid_NamingIt(string mediaType, string field, JsonNode? value)
    {
        var manifest = MediaTypes.IsIndex(mediaType) ? Index(mediaType) : Image(mediaType);
        manifest[field] = value;

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(manifest), mediaType, field);
    }

    public static TheoryData<string, JsonNode?, string> WrongDescriptorTypes() => new()
    {
        { "size", "12", "layers[1].size" },
        { "size", -5, "layers[1].size" },
        { "mediaType", 5, "layers[1].mediaType" },
        { "platform", "linux", "layers[1].platform" },
        { "urls", "https://example.com/l", "layers[1].urls" },
        { "urls", new JsonArray(1), "layers[1].urls" },
        { "artifactType", new JsonArray(), "layers[1].artifactType" },
        { "annotations", "x", "layers[1].annotations" },
    };

    [Theory]
    [MemberData(nameof(WrongDescriptorTypes))]
    public void DescriptorFieldOfTheWrongType_IsManifestInvalid_NamingItsPath(string field, JsonNode? value, string path)
    {
        var manifest = Image();
        manifest["layers"]![1]![field] = value;

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(manifest), MediaTypes.OciManifest, path);
    }

    [Fact]
    public void IndexEntryPlatformOfTheWrongType_IsManifestInvalid_NamingIt()
    {
        var index = Index();
        index["manifests"]![1]!["platform"]!["os"] = 1;

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(index), MediaTypes.OciIndex, "manifests[1].platform.os");
    }

    [Fact]
    public void OciManifest_WithoutLayers_OrWithNullLayers_IsStillAccepted()
    {
        var absent = Image();
        absent.Remove("layers");
        var nullLayers = Image();
        nullLayers["layers"] = null;

        Assert.Empty(ManifestParser.Parse(Bytes(absent), MediaTypes.OciManifest).Layers);
        Assert.Empty(ManifestParser.Parse(Bytes(nullLayers), MediaTypes.OciManifest).Layers);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // an encoded UTF-16 surrogate
    [InlineData(new byte[] { 0xE2, 0x82 })] // truncated sequence
    public void InvalidUtf8_IsManifestInvalid(byte[] sequence)
    {
        var manifest = Image();
        manifest["annotations"] = new JsonObject { ["note"] = "@" };
        var body = Bytes(manifest).ToArray();
        var at = Array.IndexOf(body, (byte)'@');
        var corrupted = body[..at].Concat(sequence).Concat(body[(at + 1)..]).ToArray();

        AssertInvalid(OciErrorCode.ManifestInvalid, corrupted, MediaTypes.OciManifest, "UTF-8");
    }

    [Fact]
    public void ValidMultibyteUtf8_IsAccepted()
    {
        var manifest = Image();
        manifest["annotations"] = new JsonObject { ["note"] = "größe 🐳" };

        Assert.Equal("größe 🐳", ManifestParser.Parse(Bytes(manifest), MediaTypes.OciManifest).Annotations!["note"]);
    }

    [Theory]
    [InlineData("layers")]
    [InlineData("config")]
    [InlineData("schemaVersion")]
    public void DuplicateTopLevelKey_IsManifestInvalid(string key)
    {
        var manifest = Image();
        var text = manifest.ToJsonString();
        var duplicated = text[..^1] + $",\"{key}\":{manifest[key]!.ToJsonString()}}}";

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(duplicated), MediaTypes.OciManifest);
    }

    [Fact]
    public void DuplicateKeyInADescriptor_IsManifestInvalid()
    {
        var text = Image().ToJsonString();
        var duplicated = text.Replace("\"size\":1000", "\"size\":1000,\"size\":1", StringComparison.Ordinal);
        Assert.NotEqual(text, duplicated);

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(duplicated), MediaTypes.OciManifest);
    }

    private static void AssertInvalid(OciErrorCode expected, ReadOnlyMemory<byte> body, string? contentType, string? naming = null)
    {
        var error = Assert.Throws<OciException>(() => ManifestParser.Parse(body, contentType));
        Assert.Equal(expected, error.Code);
        if (naming is not null) Assert.Contains(naming, error.Message);
    }
}
