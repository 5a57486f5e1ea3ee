using System.Text.Json;
using Nscr.Cli.Torture.Content;
using Xunit;

namespace Nscr.Cli.Tests.Torture;

/// <summary>What the workers push is what a registry must accept: every descriptor names the bytes pushed with it.</summary>
public sealed class ImageFactoryTests
{
    private readonly BaseLayers _bases = new(seed: 1, count: 3);

    [Theory]
    [InlineData(false, MediaTypes.OciManifest, MediaTypes.OciConfig, MediaTypes.OciLayer)]
    [InlineData(true, MediaTypes.DockerManifest, MediaTypes.DockerConfig, MediaTypes.DockerLayer)]
    public void AnImageDescribesItsConfigAndLayersExactly(bool docker, string manifestType, string configType, string layerType)
    {
        var plan = new ImageFactory(new Random(2), _bases).NewImage(docker);

        using var json = JsonDocument.Parse(plan.Manifest.Bytes);
        var root = json.RootElement;
        Assert.Equal(manifestType, plan.Manifest.MediaType);
        Assert.Equal(manifestType, root.GetProperty("mediaType").GetString());
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        var described = new[] { root.GetProperty("config") }.Concat(root.GetProperty("layers").EnumerateArray()).ToList();
        Assert.Equal(plan.Blobs.Count, described.Count);
        foreach (var (descriptor, blob) in described.Zip(plan.Blobs))
        {
            Assert.Equal(blob.Digest, descriptor.GetProperty("digest").GetString());
            Assert.Equal(blob.Bytes.Length, descriptor.GetProperty("size").GetInt64());
            Assert.Equal(blob.MediaType, descriptor.GetProperty("mediaType").GetString());
            Assert.Equal(Digests.Sha256(blob.Bytes), blob.Digest);
        }
        Assert.Equal(configType, plan.Blobs[0].MediaType);
        Assert.All(plan.Blobs.Skip(1), b => Assert.Equal(layerType, b.MediaType));
        Assert.Contains(plan.Blobs, b => _bases.IsShared(b.Digest));
        Assert.Contains(plan.Blobs.Skip(1), b => !_bases.IsShared(b.Digest));
    }

    [Fact]
    public void EveryImageIsUniqueEvenOnTheSameBaseLayers()
    {
        var factory = new ImageFactory(new Random(3), _bases);
        var digests = Enumerable.Range(0, 20).Select(_ => factory.NewImage(docker: false).Digest).ToList();
        Assert.Equal(digests.Count, digests.Distinct().Count());
    }

    [Theory]
    [InlineData(false, MediaTypes.OciIndex, MediaTypes.OciManifest)]
    [InlineData(true, MediaTypes.DockerManifestList, MediaTypes.DockerManifest)]
    public void AnIndexListsItsTwoPlatformManifests(bool docker, string indexType, string childType)
    {
        var plan = new ImageFactory(new Random(4), _bases).NewIndex(docker);

        Assert.True(plan.IsIndex);
        Assert.Empty(plan.Blobs);
        Assert.Equal(indexType, plan.Manifest.MediaType);
        using var json = JsonDocument.Parse(plan.Manifest.Bytes);
        var listed = json.RootElement.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(2, listed.Count);
        foreach (var (entry, child) in listed.Zip(plan.Children))
        {
            Assert.Equal(child.Digest, entry.GetProperty("digest").GetString());
            Assert.Equal(child.Manifest.Bytes.Length, entry.GetProperty("size").GetInt64());
            Assert.Equal(childType, entry.GetProperty("mediaType").GetString());
        }
        Assert.Equal(["amd64", "arm64"], listed.Select(e => e.GetProperty("platform").GetProperty("architecture").GetString()));
    }

    [Fact]
    public void AReferrerNamesItsSubjectAndArtifactType()
    {
        var factory = new ImageFactory(new Random(5), _bases);
        var subject = factory.NewImage(docker: false).Manifest.Descriptor;

        var referrer = factory.NewReferrer(subject);

        using var json = JsonDocument.Parse(referrer.Manifest.Bytes);
        var root = json.RootElement;
        Assert.Equal(subject.Digest, root.GetProperty("subject").GetProperty("digest").GetString());
        Assert.Equal(subject.Size, root.GetProperty("subject").GetProperty("size").GetInt64());
        Assert.StartsWith("application/vnd.nscr.torture.", root.GetProperty("artifactType").GetString());
        Assert.Equal(BaseLayers.EmptyConfig.Digest, root.GetProperty("config").GetProperty("digest").GetString());
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", BaseLayers.EmptyConfig.Digest);
        Assert.True(_bases.IsShared(BaseLayers.EmptyConfig.Digest));
    }

    [Fact]
    public void BaseLayersAreTheSameBytesForOciAndDocker()
    {
        Assert.Equal(_bases.Oci.Select(b => b.Digest), _bases.Docker.Select(b => b.Digest));
        Assert.Equal(_bases.Oci.Select(b => b.Digest), new BaseLayers(seed: 1, count: 3).Oci.Select(b => b.Digest));
        Assert.NotEqual(_bases.Oci.Select(b => b.Digest), new BaseLayers(seed: 2, count: 3).Oci.Select(b => b.Digest));
    }
}
