using System.Text.Json.Nodes;
using Nscr.Oci;
using static Nscr.Grains.Interfaces.Tests.Oci.ManifestJson;

namespace Nscr.Grains.Interfaces.Tests.Oci;

public sealed class ManifestParserTests
{
    [Fact]
    public void OciManifest_ConfigAndLayers_AreReferenced()
    {
        var content = ManifestParser.Parse(Bytes(Image()), MediaTypes.OciManifest);

        Assert.Equal(MediaTypes.OciManifest, content.MediaType);
        Assert.False(content.IsIndex);
        Assert.NotNull(content.Config);
        Assert.Equal(ConfigType, content.Config.MediaType);
        Assert.Equal(123, content.Config.Size);
        Assert.Equal(2, content.Layers.Count);
        Assert.Equal(1001, content.Layers[1].Size);
        Assert.Empty(content.Manifests);
        Assert.Null(content.Subject);
        Assert.Null(content.ArtifactType);
        Assert.Equal([DigestOf("config"), DigestOf("layer0"), DigestOf("layer1")], content.ReferencedBlobs().ToArray());
        Assert.Equal(ConfigType, content.EffectiveArtifactType);
    }

    [Fact]
    public void OciIndex_ChildrenWithPlatforms_NoBlobs()
    {
        var content = ManifestParser.Parse(Bytes(Index()), MediaTypes.OciIndex);

        Assert.Equal(MediaTypes.OciIndex, content.MediaType);
        Assert.True(content.IsIndex);
        Assert.Null(content.Config);
        Assert.Empty(content.Layers);
        Assert.Empty(content.ReferencedBlobs());
        Assert.Equal([DigestOf("child0"), DigestOf("child1")], content.Manifests.Select(m => m.Digest).ToArray());
        Assert.Equal(new Platform("linux", "amd64", null), content.Manifests[0].Platform);
        Assert.Equal(new Platform("linux", "arm64", "v8"), content.Manifests[1].Platform);
        Assert.Null(content.EffectiveArtifactType);
    }

    [Fact]
    public void DockerSchema2Manifest()
    {
        var manifest = Image(MediaTypes.DockerManifest, DockerConfigType);
        manifest["layers"]![0]!["mediaType"] = DockerLayerType;

        var content = ManifestParser.Parse(Bytes(manifest), MediaTypes.DockerManifest);

        Assert.Equal(MediaTypes.DockerManifest, content.MediaType);
        Assert.Equal(DockerConfigType, content.Config!.MediaType);
        Assert.Equal(DockerLayerType, content.Layers[0].MediaType);
        Assert.Equal(3, content.ReferencedBlobs().Count());
    }

    [Fact]
    public void DockerSchema2Manifest_WithoutLayers_IsInvalid()
    {
        var manifest = Image(MediaTypes.DockerManifest, DockerConfigType);
        manifest.Remove("layers");

        AssertInvalid(OciErrorCode.ManifestInvalid, Bytes(manifest), MediaTypes.DockerManifest);
    }

    [Fact]
    public void DockerManifestList()
    {
        var list = Index(MediaTypes.DockerManifestList, MediaTypes.DockerManifest);

        var content = ManifestParser.Parse(Bytes(list), MediaTypes.DockerManifestList);

        Assert.Equal(MediaTypes.DockerManifestList, content.MediaType);
        Assert.True(content.IsIndex);
        Assert.All(content.Manifests, m => Assert.Equal(MediaTypes.DockerManifest, m.MediaType));
    }

    [Fact]
    public void Artifact_WithArtifactType_EmptyConfig_AndSubject()
    {
        var subject = DigestOf("subject");
        var empty = Digest.Compute("{}"u8);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["artifactType"] = "application/vnd.example.sbom.v1",
            ["config"] = Descriptor(MediaTypes.OciEmpty, empty, 2),
            ["layers"] = new JsonArray(Descriptor(MediaTypes.OciEmpty, empty, 2)),
            ["subject"] = Descriptor(MediaTypes.OciManifest, subject, 789),
            ["annotations"] = new JsonObject { ["org.example.kind"] = "sbom" },
        };

        var content = ManifestParser.Parse(Bytes(manifest), MediaTypes.OciManifest);

        Assert.Equal("application/vnd.example.sbom.v1", content.ArtifactType);
        Assert.Equal("application/vnd.example.sbom.v1", content.EffectiveArtifactType);
        Assert.Equal(MediaTypes.OciEmpty, content.Config!.MediaType);
        Assert.Equal(empty, content.Config.Digest);
        Assert.NotNull(content.Subject);
        Assert.Equal(subject, content.Subject.Digest);
        Assert.Equal(789, content.Subject.Size);
        Assert.Equal("sbom", content.Annotations!["org.example.kind"]);
        Assert.Equal([empty], content.ReferencedBlobs().Distinct().ToArray());
    }

    [Fact]
    public void Artifact_WithoutArtifactType_ReportsTheConfigMediaType()
    {
        var content = ManifestParser.Parse(Bytes(Image(configType: "application/vnd.example.config.v1+json")), MediaTypes.OciManifest);

        Assert.Null(content.ArtifactType);
        Assert.Equal("application/vnd.example.config.v1+json", content.EffectiveArtifactType);
    }

    [Fact]
    public void NullSubject_IsNoSubject()
    {
        var manifest = Image();
        manifest["subject"] = null;

        Assert.Null(ManifestParser.Parse(Bytes(manifest), MediaTypes.OciManifest).Subject);
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

    [Fact]
    public void ContentType_Parameters_AreIgnored()
    {
        var content = ManifestParser.Parse(Bytes(Image()), MediaTypes.OciManifest + "; charset=utf-8");

        Assert.Equal(MediaTypes.OciManifest, content.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/json")]
    [InlineData("application/octet-stream")]
    public void GenericContentType_TakesTheBodyMediaType_OrGuessesFromTheShape(string? contentType)
    {
        Assert.Equal(MediaTypes.DockerManifest, ManifestParser.Parse(Bytes(Image(MediaTypes.DockerManifest)), contentType).MediaType);
        Assert.Equal(MediaTypes.OciManifest, ManifestParser.Parse(Bytes(Image(mediaType: null)), contentType).MediaType);
        Assert.Equal(MediaTypes.OciIndex, ManifestParser.Parse(Bytes(Index(mediaType: null)), contentType).MediaType);
    }

    [Fact]
    public void BodyWithoutMediaType_TakesTheContentType()
    {
        Assert.Equal(MediaTypes.DockerManifest, ManifestParser.Parse(Bytes(Image(mediaType: null)), MediaTypes.DockerManifest).MediaType);
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

    [Fact]
    public void ForeignLayersWithUrls_AreNotReferencedBlobs()
    {
        var manifest = Image(MediaTypes.DockerManifest, DockerConfigType, layers: 3);
        manifest["layers"]![0]!["mediaType"] = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
        manifest["layers"]![0]!["urls"] = new JsonArray("https://example.invalid/layer.tar.gz");
        manifest["layers"]![2]!["urls"] = new JsonArray();

        var content = ManifestParser.Parse(Bytes(manifest), MediaTypes.DockerManifest);

        Assert.True(content.Layers[0].HasUrls);
        Assert.False(content.Layers[1].HasUrls);
        Assert.False(content.Layers[2].HasUrls);
        Assert.Equal([DigestOf("config"), DigestOf("layer1"), DigestOf("layer2")], content.ReferencedBlobs().ToArray());
    }

    [Fact]
    public void Annotations_OnTheManifestAndOnDescriptors()
    {
        var manifest = Image();
        manifest["annotations"] = new JsonObject { ["org.opencontainers.image.created"] = "2024-01-01T00:00:00Z", ["b"] = "" };
        manifest["layers"]![0]!["annotations"] = new JsonObject { ["org.opencontainers.image.title"] = "layer.tar" };
        manifest["layers"]![0]!["artifactType"] = "application/vnd.example.layer";

        var content = ManifestParser.Parse(Bytes(manifest), MediaTypes.OciManifest);

        Assert.Equal(2, content.Annotations!.Count);
        Assert.Equal("2024-01-01T00:00:00Z", content.Annotations["org.opencontainers.image.created"]);
        Assert.Equal("", content.Annotations["b"]);
        Assert.Equal("layer.tar", content.Layers[0].Annotations!["org.opencontainers.image.title"]);
        Assert.Equal("application/vnd.example.layer", content.Layers[0].ArtifactType);
        Assert.Null(content.Layers[1].Annotations);
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

    [Fact]
    public void UnknownFields_AreIgnored()
    {
        var manifest = Image();
        manifest["x-extra"] = new JsonObject { ["anything"] = new JsonArray(1, 2, 3) };

        Assert.Equal(2, ManifestParser.Parse(Bytes(manifest), MediaTypes.OciManifest).Layers.Count);
    }

    [Fact]
    public void MaxManifestBytes_Is4MiB()
    {
        Assert.Equal(4 * 1024 * 1024, ManifestParser.MaxManifestBytes);
    }

    private static void AssertInvalid(OciErrorCode expected, ReadOnlyMemory<byte> body, string? contentType)
    {
        var error = Assert.Throws<OciException>(() => ManifestParser.Parse(body, contentType));
        Assert.Equal(expected, error.Code);
    }
}
