using Nscr.Oci;

namespace Nscr.Gateway.Api;

public enum RepositoryResource
{
    Repository,
    Tags,
    Tag,
    Manifests,
    Manifest,
}

/// <summary>
/// Parses the path after <c>/api/repositories/</c>: <c>&lt;name&gt;</c>, <c>&lt;name&gt;/tags</c>,
/// <c>&lt;name&gt;/tags/&lt;tag&gt;</c>, <c>&lt;name&gt;/manifests</c> or <c>&lt;name&gt;/manifests/&lt;reference&gt;</c>. Names contain slashes, so the
/// suffix is split off from the end, as the OCI routes do (a repository named like <c>x/tags</c> is reached through those).
/// </summary>
public sealed record RepositoryRoute(RepositoryResource Resource, string Name, string? Argument)
{
    public static RepositoryRoute Parse(string path)
    {
        path = path.TrimEnd('/');
        if (path.EndsWith("/tags", StringComparison.Ordinal))
        {
            return new RepositoryRoute(RepositoryResource.Tags, RepositoryName.Validate(path[..^"/tags".Length]), null);
        }
        if (path.EndsWith("/manifests", StringComparison.Ordinal))
        {
            return new RepositoryRoute(RepositoryResource.Manifests, RepositoryName.Validate(path[..^"/manifests".Length]), null);
        }
        var slash = path.LastIndexOf('/');
        if (slash > 0)
        {
            var head = path[..slash];
            var last = path[(slash + 1)..];
            if (head.EndsWith("/tags", StringComparison.Ordinal))
            {
                if (!Reference.IsValidTag(last)) throw new OciException(OciErrorCode.TagInvalid, $"invalid tag '{last[..Math.Min(last.Length, 80)]}'");
                return new RepositoryRoute(RepositoryResource.Tag, RepositoryName.Validate(head[..^"/tags".Length]), last);
            }
            if (head.EndsWith("/manifests", StringComparison.Ordinal))
            {
                return new RepositoryRoute(RepositoryResource.Manifest, RepositoryName.Validate(head[..^"/manifests".Length]), last);
            }
        }
        return new RepositoryRoute(RepositoryResource.Repository, RepositoryName.Validate(path), null);
    }
}
