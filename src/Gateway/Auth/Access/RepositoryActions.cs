namespace Nscr.Gateway.Auth;

/// <summary>What a caller may do on one repository.</summary>
[Flags]
public enum RepositoryActions
{
    None = 0,
    Pull = 1,
    Push = 2,
    Delete = 4,
    All = Pull | Push | Delete,
}

/// <summary>The wire names of <see cref="RepositoryActions"/> (token scopes, rules).</summary>
public static class RepositoryActionNames
{
    public static bool TryParse(string name, out RepositoryActions action)
    {
        action = name.Trim().ToLowerInvariant() switch
        {
            "pull" => RepositoryActions.Pull,
            "push" => RepositoryActions.Push,
            "delete" => RepositoryActions.Delete,
            "*" => RepositoryActions.All,
            _ => RepositoryActions.None,
        };
        return action != RepositoryActions.None;
    }

    /// <summary>Parses a comma-separated list, ignoring unknown names (a client may ask for actions we do not have).</summary>
    public static RepositoryActions ParseList(IEnumerable<string> names)
    {
        var result = RepositoryActions.None;
        foreach (var name in names)
        {
            if (TryParse(name, out var action)) result |= action;
        }
        return result;
    }

    public static string[] Names(RepositoryActions actions)
    {
        var names = new List<string>(3);
        if (actions.HasFlag(RepositoryActions.Pull)) names.Add("pull");
        if (actions.HasFlag(RepositoryActions.Push)) names.Add("push");
        if (actions.HasFlag(RepositoryActions.Delete)) names.Add("delete");
        return [.. names];
    }
}
