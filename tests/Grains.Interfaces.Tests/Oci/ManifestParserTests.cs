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
}
