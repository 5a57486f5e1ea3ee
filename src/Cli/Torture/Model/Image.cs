namespace Nscr.Cli.Torture.Model;

/// <summary>An acknowledged image (a manifest or an index) and the acknowledged referrers whose subject it is.</summary>
public sealed class Image(PushedManifest root)
{
    private readonly List<PushedManifest> _referrers = [];

    public PushedManifest Root { get; } = root;

    public string Digest => Root.Digest;

    public IReadOnlyList<PushedManifest> Referrers => _referrers;

    public void AddReferrer(PushedManifest referrer) => _referrers.Add(referrer);

    public bool RemoveReferrer(string digest) => _referrers.RemoveAll(r => r.Digest == digest) > 0;
}
