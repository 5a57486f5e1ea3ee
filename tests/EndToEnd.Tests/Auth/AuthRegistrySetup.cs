using Nscr.EndToEnd.Tests.Infrastructure;

namespace Nscr.EndToEnd.Tests.Auth;

/// <summary>
/// A registry with authentication on, its htpasswd file made by Apache's <c>htpasswd -B</c>: "writer" may pull and push
/// team/**, "reader" may only pull there.
/// </summary>
public sealed record AuthRegistrySetup(RegistryProcess Registry, string WriterPassword, string ReaderPassword)
{
    public static async Task<AuthRegistrySetup> StartAsync(TestScope scope)
    {
        var ct = scope.CancellationToken;
        var htpasswd = Path.Combine(scope.NewTempDirectory("htpasswd").Path, "htpasswd");
        var writer = $"w-{Guid.NewGuid():N}";
        var reader = $"r-{Guid.NewGuid():N}";
        await Tool.RunCheckedAsync("htpasswd", ["-B", "-b", "-c", htpasswd, "writer", writer], ct);
        await Tool.RunCheckedAsync("htpasswd", ["-B", "-b", htpasswd, "reader", reader], ct);
        var registry = await scope.StartRegistryAsync(environment: new Dictionary<string, string>
        {
            ["NSCR_HTPASSWD"] = htpasswd,
            ["Nscr__Auth__Rules__0__Subjects__0"] = "writer",
            ["Nscr__Auth__Rules__0__Repository"] = "team/**",
            ["Nscr__Auth__Rules__0__Actions__0"] = "pull",
            ["Nscr__Auth__Rules__0__Actions__1"] = "push",
            ["Nscr__Auth__Rules__1__Subjects__0"] = "reader",
            ["Nscr__Auth__Rules__1__Repository"] = "team/**",
            ["Nscr__Auth__Rules__1__Actions__0"] = "pull",
        });
        return new AuthRegistrySetup(registry, writer, reader);
    }

    /// <summary>No request made the registry answer a server error.</summary>
    public void AssertNoServerError() => Xunit.Assert.DoesNotContain("Unhandled error", Registry.Log);
}
