using Nscr.Gateway.Oci;
using Nscr.Oci;

namespace Nscr.Gateway.Auth;

/// <summary>The 401 and 403 answers, in the OCI error format, with the challenge clients need to log in.</summary>
public sealed class AuthChallenges(AuthOptions options)
{
    /// <summary>
    /// 401 with <c>WWW-Authenticate: Bearer realm,service[,scope][,error]</c>: Docker's token flow. The realm is
    /// the configured one or this server as the client reached it.
    /// </summary>
    public Task RegistryUnauthorizedAsync(HttpContext context, string? scope, bool insufficientScope = false)
    {
        var challenge = $"Bearer realm=\"{Quote(Realm(context.Request))}\",service=\"{Quote(options.Service)}\"";
        if (scope is not null) challenge += $",scope=\"{Quote(scope)}\"";
        if (insufficientScope) challenge += ",error=\"insufficient_scope\"";
        context.Response.Headers.WWWAuthenticate = challenge;
        return OciResponses.WriteErrorAsync(context, OciErrorCode.Unauthorized, "authentication required", null);
    }

    /// <summary>401 with a Basic challenge (admin API, metrics, token endpoint).</summary>
    public static Task BasicUnauthorizedAsync(HttpContext context, string realm = "nscr")
    {
        context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{realm}\", charset=\"UTF-8\"";
        return OciResponses.WriteErrorAsync(context, OciErrorCode.Unauthorized, "authentication required", null);
    }

    public static Task DeniedAsync(HttpContext context, string message) =>
        OciResponses.WriteErrorAsync(context, OciErrorCode.Denied, message, null);

    public string Realm(HttpRequest request) =>
        string.IsNullOrWhiteSpace(options.Realm) ? $"{request.Scheme}://{request.Host}/auth/token" : options.Realm;

    public static string RepositoryScope(string repository, RepositoryActions actions) =>
        $"repository:{repository}:{string.Join(',', RepositoryActionNames.Names(actions))}";

    private static string Quote(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
