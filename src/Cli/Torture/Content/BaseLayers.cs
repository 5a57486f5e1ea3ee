namespace Nscr.Cli.Torture.Content;

/// <summary>Layers shared by images of every worker and repository (like a distribution's base image), plus
/// the empty config every referrer uses: the blobs on which GC and pushes to other repositories meet.</summary>
public sealed class BaseLayers
{
    public static readonly Blob EmptyConfig = new(MediaTypes.OciEmpty, "{}"u8.ToArray());

    private readonly HashSet<string> _shared;

    public BaseLayers(int seed, int count = 6)
    {
        var random = new Random(seed);
        var layers = Enumerable.Range(0, count)
            .Select(_ =>
            {
                var bytes = new byte[random.Next(32 * 1024, 768 * 1024)];
                random.NextBytes(bytes);
                return bytes;
            })
            .ToList();
        // The same bytes under either media type: one digest, shared by OCI and Docker images alike.
        Oci = layers.Select(b => new Blob(MediaTypes.OciLayer, b)).ToList();
        Docker = Oci.Select(b => new Blob(MediaTypes.DockerLayer, b.Bytes, b.Digest)).ToList();
        _shared = Oci.Select(b => b.Digest).Append(EmptyConfig.Digest).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<Blob> Oci { get; }

    public IReadOnlyList<Blob> Docker { get; }

    public bool IsShared(string digest) => _shared.Contains(digest);
}
