using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nscr.Gateway.Auth;
using Nscr.Gateway.Auth.Tokens;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>The callers of the matrix and what each should get on a route.</summary>
public static class MatrixIdentities
{
    public static readonly string[] All =
    [
        "anonymous", "wrong-password", "expired-token", "forged-token", "tampered-token",
        "reader", "writer", "admin", "outsider", "reader-token", "writer-token", "admin-token", "admin-cookie", "admin-cookie-no-csrf",
    ];

    private static readonly string[] Invalid = ["wrong-password", "expired-token", "forged-token", "tampered-token"];

    /// <summary>The expected status: the route's success status, 401 or 403.</summary>
    public static int Expected(MatrixRoute route, string identity, bool stateChanging)
    {
        var success = (int)route.Success;
        if (route.Need == Need.Open) return success;
        if (route.Need == Need.Logout) return identity == "admin-cookie-no-csrf" ? 403 : success;
        if (route.Need == Need.Session) return identity.StartsWith("admin-cookie", StringComparison.Ordinal) ? success : 401;
        if (route.Need == Need.TokenEndpoint)
        {
            return identity.EndsWith("-token", StringComparison.Ordinal) || identity == "wrong-password" ? 401 : success;
        }
        if (Invalid.Contains(identity)) return 401;
        if (identity == "admin-cookie-no-csrf" && stateChanging) return 403;
        if (identity == "anonymous") return route.Need is Need.Catalog or Need.PublicPull ? success : 401;
        var user = identity.Split('-')[0];
        var allowed = route.Need switch
        {
            Need.AnyUser or Need.Catalog or Need.PublicPull => true,
            Need.Pull => user is "reader" or "writer" or "admin",
            Need.Push or Need.Delete => user is "writer" or "admin",
            // A registry token grants what its access claim lists, never the admin role, even when issued to an admin.
            Need.Admin or Need.Metrics => user == "admin" && !identity.EndsWith("-token", StringComparison.Ordinal),
            _ => false,
        };
        return allowed ? success : 403;
    }

    /// <summary>Puts <paramref name="identity"/>'s credentials on the request.</summary>
    public static async Task ApplyAsync(AuthRegistry registry, HttpClient http, HttpRequestMessage request, string identity, IReadOnlyList<string> repositories)
    {
        var scopes = repositories.Select(r => $"repository:{r}:pull,push,delete").Append("registry:catalog:*").ToArray();
        switch (identity)
        {
            case "anonymous":
                return;
            case "wrong-password":
                request.Headers.Authorization = registry.Basic("writer", "not-the-password");
                return;
            case "reader" or "writer" or "admin" or "outsider":
                request.Headers.Authorization = registry.Basic(identity);
                return;
            case "reader-token" or "writer-token" or "admin-token":
                request.Headers.Authorization = Bearer(await registry.TokenAsync(http, identity.Split('-')[0], scopes));
                return;
            case "expired-token":
                request.Headers.Authorization = Bearer(TokenFrom(registry, registry.Registry.Services.GetRequiredService<SigningKey>(), TimeSpan.FromHours(-1), repositories));
                return;
            case "forged-token":
                using (var forger = SigningKey.LoadOrCreate(Path.Combine(registry.ConfigDir, $"forger-{Guid.NewGuid():N}.pem")))
                {
                    request.Headers.Authorization = Bearer(TokenFrom(registry, forger, TimeSpan.Zero, repositories));
                }
                return;
            case "tampered-token":
                request.Headers.Authorization = Bearer(Tamper(await registry.TokenAsync(http, "reader", scopes), repositories));
                return;
            case "admin-cookie" or "admin-cookie-no-csrf":
                var (cookie, csrf) = await registry.LoginAsync(http, "admin");
                request.Headers.Add("Cookie", cookie);
                if (identity == "admin-cookie") request.Headers.Add("X-CSRF-Token", csrf);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(identity), identity, null);
        }
    }

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    /// <summary>An admin token with every action on the repositories, signed by <paramref name="key"/> at now + <paramref name="shift"/>.</summary>
    private static string TokenFrom(AuthRegistry registry, SigningKey key, TimeSpan shift, IReadOnlyList<string> repositories)
    {
        var options = registry.Registry.Services.GetRequiredService<AuthOptions>();
        var tokens = new RegistryTokens(key, options, new ShiftedTime(shift));
        var access = repositories.Select(r => new TokenAccess(TokenAccess.RepositoryType, r, RepositoryActions.All))
            .Append(new TokenAccess(TokenAccess.RegistryType, TokenAccess.CatalogName, RepositoryActions.All)).ToList();
        return tokens.Issue("admin", access).Token;
    }

    /// <summary>A real token whose payload is rewritten to an admin's with every action; the signature is kept.</summary>
    public static string Tamper(string token, IReadOnlyList<string> repositories)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        payload["sub"] = "admin";
        var access = new JsonArray();
        foreach (var repository in repositories)
        {
            access.Add(new JsonObject { ["type"] = "repository", ["name"] = repository, ["actions"] = new JsonArray("pull", "push", "delete") });
        }
        payload["access"] = access;
        return $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
    }
}

/// <summary>The system clock moved by a fixed amount.</summary>
public sealed class ShiftedTime(TimeSpan shift) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
}
