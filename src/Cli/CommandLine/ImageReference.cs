using System.Text.RegularExpressions;

namespace Nscr.Cli.CommandLine;

/// <summary>
/// <c>repo:tag</c> or <c>repo@digest</c> (a bare <c>repo</c> has neither). The repository comes first: names have no
/// host part here, the server is given by <c>--url</c>.
/// </summary>
public sealed partial record ImageReference(string Repository, string? Tag, string? Digest)
{
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryGrammar();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagGrammar();

    [GeneratedRegex(@"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex DigestGrammar();

    /// <summary>The tag or the digest, as the API's <c>manifests/&lt;reference&gt;</c> takes it.</summary>
    public string? Reference => Digest ?? Tag;

    public override string ToString() => Digest is not null ? $"{Repository}@{Digest}" : Tag is not null ? $"{Repository}:{Tag}" : Repository;

    public static ImageReference Parse(string text)
    {
        string repository;
        string? tag = null, digest = null;
        var at = text.IndexOf('@');
        if (at >= 0)
        {
            (repository, digest) = (text[..at], text[(at + 1)..]);
            if (!DigestGrammar().IsMatch(digest)) throw Usage($"'{digest}' is not a digest (algorithm:hex)");
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf('/', colon) < 0)
            {
                (repository, tag) = (text[..colon], text[(colon + 1)..]);
                if (!TagGrammar().IsMatch(tag)) throw Usage($"'{tag}' is not a valid tag");
            }
            else
            {
                repository = text;
            }
        }
        if (!RepositoryGrammar().IsMatch(repository)) throw Usage($"'{repository}' is not a repository name (lowercase, e.g. team/app)");
        return new ImageReference(repository, tag, digest);
    }

    private static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
