using System.Globalization;
using Nscr.Gateway.Logging;
using Nscr.Gateway.Oci;
using Nscr.Oci;

namespace Nscr.Gateway.Auth.Tokens;

/// <summary>
/// <c>GET /auth/token?service=&amp;scope=…&amp;scope=…</c>, Docker's token endpoint: with Basic credentials (or none, for
/// anonymous access) it answers a signed token whose <c>access</c> is what was asked for and is allowed — the
/// intersection, possibly empty. Wrong credentials are a 401. docker, podman and skopeo all use this GET form when
/// they hold a user name and password (the OAuth2 POST form is used only with refresh tokens, which we do not issue).
/// </summary>
public sealed class TokenEndpoint(Authenticator authenticator, AccessPolicy policy, RegistryTokens tokens, ILogger<TokenEndpoint> logger)
{
    public async Task IssueAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        string? user = null;
        var authorization = context.Request.Headers.Authorization;
        if (authorization.Count > 0)
        {
            user = authorization.Count == 1 ? authenticator.VerifyBasic(authorization[0] ?? "") : null;
            if (user is null)
            {
                Log.CredentialsRejected(logger, context.Request.Method, "/auth/token");
                await AuthChallenges.BasicUnauthorizedAsync(context);
                return;
            }
        }
        var granted = Grant(user, context.Request.Query["scope"]);
        var (token, issuedAt, lifetime) = tokens.Issue(user, granted);
        Log.TokenIssued(logger, user ?? "anonymous", granted.Count);
        await OciResponses.WriteJsonAsync(context, "application/json", json =>
        {
            json.WriteStartObject();
            json.WriteString("token", token);
            json.WriteString("access_token", token);
            json.WriteNumber("expires_in", (long)lifetime.TotalSeconds);
            json.WriteString("issued_at", issuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        });
    }

    public static Task UnsupportedAsync(HttpContext context) =>
        OciResponses.WriteErrorAsync(context, OciErrorCode.Unsupported, "the token endpoint answers GET with Basic credentials; refresh tokens are not issued");

    /// <summary>The requested scopes cut down to what <paramref name="user"/> may do; entries granting nothing are left out.</summary>
    public IReadOnlyList<TokenAccess> Grant(string? user, IEnumerable<string?> scopes)
    {
        var granted = new Dictionary<(string, string), TokenAccess>();
        foreach (var scope in scopes)
        {
            if (scope is null) continue;
            foreach (var (type, name, actions) in TokenAccess.ParseScope(scope))
            {
                if (type == TokenAccess.RepositoryType && RepositoryName.IsValid(name))
                {
                    var allowed = RepositoryActionNames.ParseList(actions) & policy.ActionsFor(user, name);
                    if (allowed == RepositoryActions.None) continue;
                    var previous = granted.GetValueOrDefault((type, name))?.Actions ?? RepositoryActions.None;
                    granted[(type, name)] = new TokenAccess(type, name, previous | allowed);
                }
                else if (type == TokenAccess.RegistryType && name == TokenAccess.CatalogName
                    && (user is not null || policy.AnonymousMayPullSomething))
                {
                    granted[(type, name)] = new TokenAccess(type, name, RepositoryActions.All);
                }
            }
        }
        return [.. granted.Values];
    }
}
