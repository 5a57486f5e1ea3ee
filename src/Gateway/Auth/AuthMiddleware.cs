using Nscr.Gateway.Auth.Sessions;
using Nscr.Gateway.Logging;
using Nscr.Gateway.Oci;
using Nscr.Gateway.Oci.Http;
using Nscr.Oci;

namespace Nscr.Gateway.Auth;

/// <summary>
/// Runs before every endpoint when auth is on. Decides from the path: /v2/ by the repository rules (token flow
/// challenges), /api/ and /dashboard by the admin role, /metrics by the admin role unless open; anything else
/// (/healthz, /readyz, /auth/*, the web UI's files) passes. A denied request never reaches a handler, so nothing
/// stored changes.
/// </summary>
public sealed class AuthMiddleware(Authenticator authenticator, AccessPolicy policy, AuthChallenges challenges, AuthOptions options, ILogger<AuthMiddleware> logger)
{
    private enum Area
    {
        Open,
        Registry,
        Admin,
        Metrics,
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var area = AreaOf(context.Request.Path);
        if (area == Area.Open || (area == Area.Metrics && options.AnonymousMetrics))
        {
            await next(context);
            return;
        }
        // Registry answers carry the API version even when refused: clients read it on the 401 of /v2/.
        if (area == Area.Registry) context.Response.Headers[OciResponses.ApiVersionHeader] = "registry/2.0";
        var caller = await authenticator.AuthenticateAsync(context.Request);
        if (caller is null)
        {
            Log.CredentialsRejected(logger, context.Request.Method, context.Request.Path.Value ?? "");
            await (area == Area.Registry
                ? challenges.RegistryUnauthorizedAsync(context, null)
                : AdminUnauthorizedAsync(context));
            return;
        }
        if (caller.Kind == CallerKind.Cookie && RouteAccess.IsStateChanging(context.Request.Method)
            && !WebSessions.CsrfMatches(caller.CsrfToken!, context.Request.Headers[WebSessions.CsrfHeader].ToString()))
        {
            await AuthChallenges.DeniedAsync(context, $"missing or wrong {WebSessions.CsrfHeader} header");
            return;
        }
        var rights = new CallerRights(caller, policy);
        context.Features.Set<IRepositoryVisibility>(rights);
        var allowed = area == Area.Registry
            ? await AuthorizeRegistryAsync(context, rights)
            : await AuthorizeAdminAsync(context, rights);
        if (allowed) await next(context);
    }

    private static async Task<bool> AuthorizeAdminAsync(HttpContext context, CallerRights rights)
    {
        if (rights.IsAdmin) return true;
        if (rights.Caller.Kind == CallerKind.Anonymous) await AdminUnauthorizedAsync(context);
        else if (rights.Caller.Kind == CallerKind.Bearer) await AuthChallenges.DeniedAsync(context, "a registry token grants only the repository access it lists; this needs the admin role through Basic credentials or a web session");
        else await AuthChallenges.DeniedAsync(context, "this needs the admin role");
        return false;
    }

    private async Task<bool> AuthorizeRegistryAsync(HttpContext context, CallerRights rights)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var route = OciRoute.Parse(path.Length > 4 ? path[4..] : "");
        var anonymous = rights.Caller.Kind == CallerKind.Anonymous;
        if (route.Resource == OciResource.Catalog)
        {
            if (rights.MayListCatalog) return true;
            await challenges.RegistryUnauthorizedAsync(context, "registry:catalog:*", insufficientScope: !anonymous);
            return false;
        }
        if (!RouteAccess.IsRepositoryRoute(route.Resource))
        {
            if (!anonymous) return true;
            await challenges.RegistryUnauthorizedAsync(context, null);
            return false;
        }
        var required = RouteAccess.Required(route.Resource, request.Method);
        if ((rights.ActionsOn(route.Name) & required) == required)
        {
            if (route.Resource == OciResource.UploadStart) DropMountWithoutPull(context, rights);
            return true;
        }
        var scope = AuthChallenges.RepositoryScope(route.Name, required);
        if (anonymous)
        {
            await challenges.RegistryUnauthorizedAsync(context, scope);
        }
        else if (rights.Caller.Kind == CallerKind.Bearer && (rights.EntitledOn(route.Name) & required) == required)
        {
            // The token is short of what its subject may do: ask the client for a token with this scope.
            await challenges.RegistryUnauthorizedAsync(context, scope, insufficientScope: true);
        }
        else
        {
            Log.AccessDenied(logger, rights.Caller.User ?? "anonymous", request.Method, route.Name);
            await AuthChallenges.DeniedAsync(context, $"requested access to {route.Name} is denied");
        }
        return false;
    }

    /// <summary>
    /// A cross-repository mount needs pull on the source; without it (or without a named source, which would let a
    /// known digest reach any repository's blob) the request becomes an ordinary upload start, as in Distribution.
    /// </summary>
    private static void DropMountWithoutPull(HttpContext context, CallerRights rights)
    {
        var query = OciQuery.Of(context);
        if (query.Mount is null) return;
        if (query.From is { Length: > 0 } from && rights.ActionsOn(from).HasFlag(RepositoryActions.Pull)) return;
        query.WithoutMount().SetOn(context);
    }

    /// <summary>
    /// 401 for /api, /dashboard and /metrics. A browser script's request (fetch or EventSource: a Sec-Fetch-Mode other
    /// than navigate) gets no Basic challenge, which browsers answer with a password dialog over the web UI (say, when
    /// its session cookie has expired); the UI shows its login form instead. Other clients get the challenge.
    /// </summary>
    private static Task AdminUnauthorizedAsync(HttpContext context)
    {
        var mode = context.Request.Headers["Sec-Fetch-Mode"].ToString();
        return mode.Length > 0 && mode != "navigate"
            ? OciResponses.WriteErrorAsync(context, OciErrorCode.Unauthorized, "authentication required", null)
            : AuthChallenges.BasicUnauthorizedAsync(context);
    }

    private static Area AreaOf(PathString path)
    {
        if (path.StartsWithSegments("/v2")) return Area.Registry;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/dashboard")) return Area.Admin;
        if (path.StartsWithSegments("/metrics")) return Area.Metrics;
        return Area.Open;
    }
}
