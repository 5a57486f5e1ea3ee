using System.Text;
using Microsoft.Net.Http.Headers;
using Nscr.Gateway.Auth.Credentials;
using Nscr.Gateway.Auth.Sessions;
using Nscr.Gateway.Auth.Tokens;

namespace Nscr.Gateway.Auth;

/// <summary>
/// Finds out who sent a request: an Authorization header (Basic or Bearer) wins; otherwise a web session cookie;
/// otherwise anonymous. Credentials that are present but wrong make the request invalid (answered 401), while a stale
/// session cookie only makes the caller anonymous. A token whose subject is no longer in the htpasswd file is wrong
/// credentials from the moment the file is re-read, not from its expiry.
/// </summary>
public sealed class Authenticator(PasswordVerifier passwords, RegistryTokens tokens, WebSessions sessions, HtpasswdStore users)
{
    public async Task<Caller?> AuthenticateAsync(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count > 0)
        {
            return authorization.Count == 1 ? FromAuthorization(authorization[0] ?? "") : null;
        }
        if (request.Cookies.TryGetValue(WebSessions.CookieName, out var cookie) && cookie is not null
            && await sessions.ValidateAsync(cookie) is { } session)
        {
            return new Caller(CallerKind.Cookie, session.User, null, session.CsrfToken);
        }
        return Caller.Anonymous;
    }

    /// <summary>The user of a Basic header whose password checks out, else null.</summary>
    public string? VerifyBasic(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        if (!TryDecodeBasic(header.AsSpan(6).Trim(), out var user, out var password)) return null;
        return passwords.Verify(user, password) ? user : null;
    }

    private Caller? FromAuthorization(string header)
    {
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = tokens.Verify(header[7..].Trim());
            if (token is null || (token.Subject is { } subject && !users.Current.Hashes.ContainsKey(subject))) return null;
            return new Caller(CallerKind.Bearer, token.Subject, token, null);
        }
        return VerifyBasic(header) is { } user ? new Caller(CallerKind.Basic, user, null, null) : null;
    }

    public static bool TryDecodeBasic(ReadOnlySpan<char> encoded, out string user, out string password)
    {
        user = password = "";
        if (encoded.Length is 0 or > 4096) return false;
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var length)) return false;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var colon = text.IndexOf(':');
        if (colon <= 0) return false;
        user = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }

    /// <summary>Whether the request carries credentials of any kind (used to tell "log in" from "not allowed").</summary>
    public static bool HasAuthorization(HttpRequest request) => request.Headers.ContainsKey(HeaderNames.Authorization);
}
