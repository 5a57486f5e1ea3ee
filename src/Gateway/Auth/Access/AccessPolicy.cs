using Nscr.Grains.Gc;

namespace Nscr.Gateway.Auth;

/// <summary>
/// Evaluates the configured rules: which actions a user (null = anonymous) has on a repository, and who is an admin.
/// Grants add up across rules; an admin has every action everywhere; a signed-in user also has what anonymous has.
/// Repository globs use the retention rules' semantics (<c>*</c> within a segment, <c>**</c> across).
/// With no rules at all (an htpasswd file alone), every signed-in user may do everything on every repository, as in
/// Distribution and zot, and, unless admins are listed, is an admin too; AnonymousPull alone does not count as rules.
/// Once a rule is configured, only the rules and the listed admins grant anything.
/// </summary>
public sealed class AccessPolicy
{
    private const string AnonymousSubject = "anonymous";
    private const string AnyUserSubject = "*";
    private const string GroupPrefix = "group:";

    private readonly (string[] Subjects, string Repository, RepositoryActions Actions)[] rules;
    private readonly Dictionary<string, HashSet<string>> groupsOfUser = new(StringComparer.Ordinal);
    private readonly string[] admins;

    public AccessPolicy(AuthOptions options)
    {
        foreach (var (group, users) in options.Groups)
        {
            foreach (var user in users)
            {
                if (!groupsOfUser.TryGetValue(user, out var set)) groupsOfUser[user] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(group);
            }
        }
        admins = options.Admins;
        EveryUserMayDoEverything = options.Rules.Count == 0;
        EveryUserIsAdmin = EveryUserMayDoEverything && options.Admins.Length == 0;
        var list = options.Rules
            .Select(r => (r.Subjects, r.Repository, RepositoryActionNames.ParseList(r.Actions)))
            .ToList();
        if (options.AnonymousPull.Length > 0)
        {
            list.AddRange(options.AnonymousPull.Select(glob => (new[] { AnonymousSubject }, glob, RepositoryActions.Pull)));
        }
        rules = [.. list];
        AnonymousMayPullSomething = rules.Any(r => r.Subjects.Contains(AnonymousSubject) && r.Actions.HasFlag(RepositoryActions.Pull));
    }

    /// <summary>Whether some repository is readable without credentials (the catalog is then open to anonymous callers).</summary>
    public bool AnonymousMayPullSomething { get; }

    /// <summary>No rules are configured: every signed-in user may pull, push and delete everywhere.</summary>
    public bool EveryUserMayDoEverything { get; }

    /// <summary>Neither rules nor admins are configured: every signed-in user has the admin role.</summary>
    public bool EveryUserIsAdmin { get; }

    /// <summary>Nobody has the admin role: rules are configured and no admins are listed.</summary>
    public bool NobodyIsAdmin => !EveryUserIsAdmin && admins.All(subject => subject == AnonymousSubject);

    public bool IsAdmin(string? user) =>
        user is not null && (EveryUserIsAdmin || admins.Any(subject => subject != AnonymousSubject && Matches(subject, user)));

    public RepositoryActions ActionsFor(string? user, string repository)
    {
        if (IsAdmin(user) || (user is not null && EveryUserMayDoEverything)) return RepositoryActions.All;
        var granted = RepositoryActions.None;
        foreach (var (subjects, glob, actions) in rules)
        {
            if ((granted & actions) == actions) continue;
            if (subjects.Any(subject => Matches(subject, user)) && Glob.IsMatch(glob, repository)) granted |= actions;
        }
        return granted;
    }

    private bool Matches(string subject, string? user)
    {
        if (subject == AnonymousSubject) return true; // what anonymous may do, a signed-in user may do too
        if (user is null) return false;
        if (subject == AnyUserSubject) return true;
        if (subject.StartsWith(GroupPrefix, StringComparison.Ordinal))
        {
            return groupsOfUser.TryGetValue(user, out var groups) && groups.Contains(subject[GroupPrefix.Length..]);
        }
        return subject == user;
    }
}
