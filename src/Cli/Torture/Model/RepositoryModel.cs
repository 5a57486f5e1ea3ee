namespace Nscr.Cli.Torture.Model;

/// <summary>What the registry must answer for one repository, as far as acknowledged operations tell: tag → image.
/// One worker owns the repository, so every change here follows an acknowledgement in program order.</summary>
public sealed class RepositoryModel(string name)
{
    private readonly Dictionary<string, Image> _tags = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public IReadOnlyDictionary<string, Image> Tags => _tags;

    /// <summary>Set once anything was pushed here (the registry knows the repository).</summary>
    public bool EverPushed { get; private set; }

    public void Tag(string tag, Image image)
    {
        _tags[tag] = image;
        EverPushed = true;
    }

    public void Untag(string tag) => _tags.Remove(tag);

    /// <summary>Deleting a manifest by digest removes every tag that pointed at it; returns those tags.</summary>
    public IReadOnlyList<string> RemoveDigest(string digest)
    {
        var tags = _tags.Where(t => t.Value.Digest == digest).Select(t => t.Key).ToList();
        foreach (var tag in tags) _tags.Remove(tag);
        return tags;
    }

    public void MarkPushed() => EverPushed = true;

    /// <summary>Each tagged image once (several tags may point at one image).</summary>
    public IEnumerable<Image> Images => _tags.Values.Distinct();
}
