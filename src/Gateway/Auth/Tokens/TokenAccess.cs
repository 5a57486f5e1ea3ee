namespace Nscr.Gateway.Auth.Tokens;

/// <summary>One entry of a token's <c>access</c> claim (and of a requested <c>scope</c>).</summary>
public sealed record TokenAccess(string Type, string Name, RepositoryActions Actions)
{
    public const string RepositoryType = "repository";
    public const string RegistryType = "registry";
    public const string CatalogName = "catalog";

    /// <summary>
    /// Parses a scope parameter: space-separated <c>type:name:actions</c> entries (the name may itself hold ':' when
    /// it carries a port, so type and actions are split off the ends). Malformed entries are skipped.
    /// </summary>
    public static IEnumerable<(string Type, string Name, string[] Actions)> ParseScope(string scope)
    {
        foreach (var entry in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var first = entry.IndexOf(':');
            var last = entry.LastIndexOf(':');
            if (first <= 0 || last <= first + 1) continue;
            yield return (entry[..first], entry[(first + 1)..last], entry[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries));
        }
    }
}
