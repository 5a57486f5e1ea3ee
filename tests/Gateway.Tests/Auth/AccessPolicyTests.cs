using Nscr.Gateway.Auth;
using Nscr.Gateway.Auth.Tokens;

namespace Nscr.Gateway.Tests.Auth;

public sealed class AccessPolicyTests
{
    private static readonly AuthOptions Options = new()
    {
        Groups = new() { ["devs"] = ["dora", "dan"], ["ops"] = ["olga"] },
        Rules =
        [
            new AuthRule { Subjects = ["group:devs"], Repository = "apps/*", Actions = ["pull", "push"] },
            new AuthRule { Subjects = ["dan"], Repository = "apps/**", Actions = ["delete"] },
            new AuthRule { Subjects = ["*"], Repository = "shared/**", Actions = ["pull"] },
            new AuthRule { Subjects = ["anonymous"], Repository = "open/*", Actions = ["pull"] },
        ],
        Admins = ["group:ops", "root"],
        AnonymousPull = ["public/**"],
    };

    private readonly AccessPolicy policy = new(Options);

    [Theory]
    [InlineData("dora", "apps/web", RepositoryActions.Pull | RepositoryActions.Push)]
    [InlineData("dora", "apps/web/sub", RepositoryActions.None)] // * stays within a segment
    [InlineData("dan", "apps/web", RepositoryActions.All)] // grants add up
    [InlineData("dan", "apps/web/sub", RepositoryActions.Delete)]
    [InlineData("eve", "apps/web", RepositoryActions.None)]
    [InlineData("eve", "shared/a/b", RepositoryActions.Pull)] // * = any signed-in user
    [InlineData(null, "shared/a", RepositoryActions.None)]
    [InlineData(null, "public/x/y", RepositoryActions.Pull)]
    [InlineData(null, "open/x", RepositoryActions.Pull)]
    [InlineData("eve", "public/x", RepositoryActions.Pull)] // what anonymous may do, a user may do
    [InlineData("olga", "anything/at/all", RepositoryActions.All)] // admins through a group
    [InlineData("root", "x", RepositoryActions.All)]
    public void ActionsFor_AddsUpTheMatchingRules(string? user, string repository, RepositoryActions expected) =>
        Assert.Equal(expected, policy.ActionsFor(user, repository));

    [Fact]
    public void Admins_AreTheListedUsersAndGroupMembers()
    {
        Assert.True(policy.IsAdmin("olga"));
        Assert.True(policy.IsAdmin("root"));
        Assert.False(policy.IsAdmin("dora"));
        Assert.False(policy.IsAdmin(null));
        Assert.False(new AccessPolicy(new AuthOptions { Admins = ["anonymous"] }).IsAdmin(null));
    }

    [Fact]
    public void WithoutRules_EverySignedInUserMayDoEverything_AndWithoutAdminsTooIsAnAdmin()
    {
        var alone = new AccessPolicy(new AuthOptions { AnonymousPull = ["public/**"] });
        Assert.Equal(RepositoryActions.All, alone.ActionsFor("eve", "any/where"));
        Assert.True(alone.IsAdmin("eve"));
        Assert.Equal(RepositoryActions.None, alone.ActionsFor(null, "any/where"));
        Assert.Equal(RepositoryActions.Pull, alone.ActionsFor(null, "public/x"));
        Assert.False(alone.IsAdmin(null));

        var listedAdmin = new AccessPolicy(new AuthOptions { Admins = ["root"] });
        Assert.Equal(RepositoryActions.All, listedAdmin.ActionsFor("eve", "any/where"));
        Assert.False(listedAdmin.IsAdmin("eve"));
        Assert.True(listedAdmin.IsAdmin("root"));

        var rulesOnly = new AccessPolicy(new AuthOptions { Rules = [new AuthRule { Subjects = ["eve"], Repository = "a/*", Actions = ["pull"] }] });
        Assert.Equal(RepositoryActions.None, rulesOnly.ActionsFor("eve", "b/x"));
        Assert.False(rulesOnly.IsAdmin("eve"));
        Assert.True(rulesOnly.NobodyIsAdmin);
        Assert.False(policy.NobodyIsAdmin);
    }

    [Fact]
    public void AnonymousMayPullSomething_FollowsTheRules()
    {
        Assert.True(policy.AnonymousMayPullSomething);
        Assert.False(new AccessPolicy(new AuthOptions()).AnonymousMayPullSomething);
    }

    [Fact]
    public void TokenGrants_AreTheIntersectionOfAskedAndAllowed()
    {
        var endpoint = new TokenEndpoint(null!, policy, null!, null!);
        var granted = endpoint.Grant("dora", ["repository:apps/web:pull,push,delete", "repository:apps/api:pull repository:secret/x:pull", "registry:catalog:*"]);

        Assert.Equal(3, granted.Count);
        Assert.Contains(new TokenAccess("repository", "apps/web", RepositoryActions.Pull | RepositoryActions.Push), granted);
        Assert.Contains(new TokenAccess("repository", "apps/api", RepositoryActions.Pull), granted);
        Assert.Contains(new TokenAccess("registry", "catalog", RepositoryActions.All), granted);
        Assert.Empty(endpoint.Grant(null, ["repository:apps/web:pull", "repository:../etc:pull"]));
    }
}
