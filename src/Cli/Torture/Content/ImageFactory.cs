namespace Nscr.Cli.Torture.Content;

/// <summary>Random images for one worker: shared base layers plus unique layers, OCI or Docker, single-platform
/// or a two-platform index, and referrer artifacts. Not thread-safe (one per worker, like its Random).</summary>
public sealed class ImageFactory(Random random, BaseLayers bases)
{
    private static readonly ManifestWriter.Platform[] IndexPlatforms = [new("amd64"), new("arm64")];

    public ManifestPlan NewImage(bool docker, ManifestWriter.Platform? platform = null)
    {
        platform ??= new ManifestWriter.Platform("amd64");
        var shared = docker ? bases.Docker : bases.Oci;
        var layers = shared.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToList();
        var layerType = docker ? MediaTypes.DockerLayer : MediaTypes.OciLayer;
        for (var i = random.Next(1, 4); i > 0; i--) layers.Add(new Blob(layerType, RandomBytes(LayerSize())));
        var config = ManifestWriter.Config(
            docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig,
            platform,
            layers.Select(l => l.Digest),
            Nonce());
        var manifest = ManifestWriter.Image(
            docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest,
            config.Descriptor,
            layers.Select(l => l.Descriptor));
        return new ManifestPlan(manifest, [config, .. layers], []);
    }

    public ManifestPlan NewIndex(bool docker)
    {
        var children = IndexPlatforms.Select(p => NewImage(docker, p)).ToList();
        var index = ManifestWriter.Index(
            docker ? MediaTypes.DockerManifestList : MediaTypes.OciIndex,
            children.Zip(IndexPlatforms, (child, platform) => (child.Manifest.Descriptor, platform)));
        return new ManifestPlan(index, [], children);
    }

    /// <summary>An artifact (a signature or an SBOM) whose subject is <paramref name="subject"/>; it is pushed by digest.</summary>
    public ManifestPlan NewReferrer(Descriptor subject)
    {
        var signature = random.Next(2) == 0;
        var payload = new Blob(
            signature ? "application/vnd.nscr.torture.signature.payload" : "application/spdx+json",
            RandomBytes(random.Next(64, signature ? 1024 : 16 * 1024)));
        var manifest = ManifestWriter.Image(
            MediaTypes.OciManifest,
            BaseLayers.EmptyConfig.Descriptor,
            [payload.Descriptor],
            subject,
            signature ? MediaTypes.SignatureArtifact : MediaTypes.SbomArtifact,
            new Dictionary<string, string> { ["org.opencontainers.image.created"] = DateTimeOffset.UtcNow.ToString("O") });
        return new ManifestPlan(manifest, [BaseLayers.EmptyConfig, payload], []);
    }

    /// <summary>Bytes for an upload that is cancelled half-way.</summary>
    public Blob NewScratchBlob() => new(MediaTypes.OciLayer, RandomBytes(random.Next(1024, 256 * 1024)));

    public byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Mostly small layers, some medium, a few of several MiB (these take the chunked path).</summary>
    private int LayerSize() => random.Next(100) switch
    {
        < 70 => random.Next(256, 64 * 1024),
        < 95 => random.Next(64 * 1024, 512 * 1024),
        _ => random.Next(1024 * 1024, 3 * 1024 * 1024),
    };

    private string Nonce() => Convert.ToHexStringLower(RandomBytes(12));
}
