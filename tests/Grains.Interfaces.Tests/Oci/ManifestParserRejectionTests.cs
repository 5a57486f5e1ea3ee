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

    private static void AssertInvalid(OciErrorCode expected, ReadOnlyMemory<byte> body, string? contentType)
    {
        var error = Assert.Throws<OciException>(() => ManifestParser.Parse(body, contentType));
        Assert.Equal(expected, error.Code);
    }
}
