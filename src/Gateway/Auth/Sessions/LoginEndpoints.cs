using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Nscr.Gateway.Auth.Credentials;
using Nscr.Gateway.Logging;
using Nscr.Gateway.Oci;
using Nscr.Oci;

namespace Nscr.Gateway.Auth.Sessions;

/// <summary>
/// The web UI's login: <c>POST /auth/login</c> (JSON or form: username, password) sets the session cookie and answers
/// <c>{"user","admin","csrfToken"}</c>; <c>GET /auth/session</c> answers the same for a live session;
/// <c>POST /auth/logout</c> (with the CSRF header) ends every session of the user and clears the cookie.
/// </summary>
public sealed class LoginEndpoints(PasswordVerifier passwords, WebSessions sessions, AccessPolicy policy, AuthOptions options, ILogger<LoginEndpoints> logger)
{
    private const long MaxLoginBodyBytes = 16 * 1024;

    public async Task LoginAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxLoginBodyBytes;
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

    private static async Task<(string? User, string? Password)> ReadCredentialsAsync(HttpRequest request, CancellationToken cancellation)
    {
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellation);
                return (form["username"].ToString(), form["password"].ToString());
            }
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellation);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("username", out var user) && user.ValueKind == JsonValueKind.String
                && root.TryGetProperty("password", out var password) && password.ValueKind == JsonValueKind.String
                ? (user.GetString(), password.GetString())
                : (null, null);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or BadHttpRequestException)
        {
            return (null, null);
        }
    }
}
