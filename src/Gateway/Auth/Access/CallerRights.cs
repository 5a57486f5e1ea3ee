namespace Nscr.Gateway.Auth;

/// <summary>
/// What one caller may do. Basic and cookie callers get what the rules give their user; a bearer token grants exactly
/// its access claim: repository actions and the catalog (whose visibility comes from its subject's rules), never the
/// admin role, whoever it was issued to (the admin API takes Basic or a web session, re-checked on every request).
/// </summary>
public sealed class CallerRights(Caller caller, AccessPolicy policy) : IRepositoryVisibility
{
    public Caller Caller => caller;

    public bool IsAdmin => caller.Kind != CallerKind.Bearer && policy.IsAdmin(caller.User);

    public RepositoryActions ActionsOn(string repository) => caller.Kind == CallerKind.Bearer
        ? caller.Token!.ActionsOn(repository)
        : policy.ActionsFor(caller.User, repository);

    /// <summary>What the caller's identity would be allowed (for a token: what a new token could carry).</summary>
    public RepositoryActions EntitledOn(string repository) => policy.ActionsFor(caller.User, repository);

    public bool MayPull(string repository) => policy.ActionsFor(caller.User, repository).HasFlag(RepositoryActions.Pull);

    public bool MayListCatalog => caller.Kind switch
    {
        CallerKind.Anonymous => policy.AnonymousMayPullSomething,
        CallerKind.Bearer => caller.Token!.GrantsCatalog,
        _ => true,
    };
}
