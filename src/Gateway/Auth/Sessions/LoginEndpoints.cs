using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using MediaTypeHeaderValue = Microsoft.Net.Http.Headers.MediaTypeHeaderValue;
using Nscr.Gateway.Auth.Credentials;
using Nscr.Gateway.Logging;
using Nscr.Gateway.Oci;
using Nscr.Oci;

namespace Nscr.Gateway.Auth.Sessions;

/// <summary>
/// The web UI's login: <c>POST /auth/login</c> (a JSON body: username, password; a form post or a cross-site request
/// is refused with 403, so another site cannot log a browser in as someone else) sets the session cookie and answers
/// <c>{"user","admin","csrfToken"}</c>; <c>GET /auth/session</c> answers the same for a live session;
/// <c>POST /auth/logout</c> (with the CSRF header) ends every session of the user and clears the cookie.
/// </summary>
public sealed class LoginEndpoints(PasswordVerifier passwords, WebSessions sessions, AccessPolicy policy, AuthOptions options, ILogger<LoginEndpoints> logger)
{
    private const long MaxLoginBodyBytes = 16 * 1024;

    public async Task LoginAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxLoginBodyBytes;
        if (CrossSiteReason(context.Request) is { } refused)
        {
            await AuthChallenges.DeniedAsync(context, refused);
            return;
        }
        var (user, password) = await ReadCredentialsAsync(context.Request, context.RequestAborted);
        if (user is null || password is null || !passwords.Verify(user, password))
        {
            Log.LoginFailed(logger);
            await OciResponses.WriteErrorAsync(context, OciErrorCode.Unauthorized, "wrong user name or password");
            return;
        }
        var (cookie, session) = await sessions.CreateAsync(user);
        context.Response.Cookies.Append(WebSessions.CookieName, cookie, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = options.SessionLifetimeValue,
        });
        Log.LoggedIn(logger, user);
        await WriteSessionAsync(context, session);
    }

    public async Task SessionAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (context.Request.Cookies.TryGetValue(WebSessions.CookieName, out var cookie) && cookie is not null
            && await sessions.ValidateAsync(cookie) is { } session)
        {
            await WriteSessionAsync(context, session);
            return;
        }
        await OciResponses.WriteErrorAsync(context, OciErrorCode.Unauthorized, "not logged in");
    }

    public async Task LogoutAsync(HttpContext context)
    {
        if (context.Request.Cookies.TryGetValue(WebSessions.CookieName, out var cookie) && cookie is not null
            && await sessions.ValidateAsync(cookie) is { } session)
        {
            if (!WebSessions.CsrfMatches(session.CsrfToken, context.Request.Headers[WebSessions.CsrfHeader].ToString()))
            {
                await AuthChallenges.DeniedAsync(context, $"missing or wrong {WebSessions.CsrfHeader} header");
                return;
            }
            await sessions.EndAsync(session.User);
        }
        context.Response.Cookies.Delete(WebSessions.CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps });
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private Task WriteSessionAsync(HttpContext context, WebSession session) =>
        OciResponses.WriteJsonAsync(context, "application/json", json =>
        {
            json.WriteStartObject();
            json.WriteString("user", session.User);
            json.WriteBoolean("admin", policy.IsAdmin(session.User));
            json.WriteString("csrfToken", session.CsrfToken);
            json.WriteString("expires", session.Expires);
            json.WriteEndObject();
        });

    /// <summary>
    /// Why a login request may come from another site: a form content type (the one kind a page elsewhere can post
    /// without a CORS preflight), <c>Sec-Fetch-Site: cross-site</c>, or an <c>Origin</c> other than this host.
    /// </summary>
    private static string? CrossSiteReason(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return "login takes an application/json body";
        }
        if (request.Headers["Sec-Fetch-Site"].ToString().Equals("cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return "cross-site login refused";
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !uri.Authority.Equals(request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return "login from another origin refused";
        }
        return null;
    }

    private static async Task<(string? User, string? Password)> ReadCredentialsAsync(HttpRequest request, CancellationToken cancellation)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellation);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("username", out var user) && user.ValueKind == JsonValueKind.String
                && root.TryGetProperty("password", out var password) && password.ValueKind == JsonValueKind.String
                ? (user.GetString(), password.GetString())
                : (null, null);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException)
        {
            return (null, null);
        }
    }
}
