using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nscr.Gateway.Auth.Credentials;
using Nscr.Gateway.Auth.Tokens;
using Nscr.Grains.Auth;

namespace Nscr.Gateway.Auth.Sessions;

/// <summary>A valid web session: its user and the CSRF token state-changing requests must echo.</summary>
public sealed record WebSession(string User, string CsrfToken, DateTimeOffset Expires);

/// <summary>
/// Web login sessions in a cookie: <c>base64url(payload).base64url(HMAC-SHA256)</c> with the user, the user's session
/// generation, the expiry and a random nonce. Nothing is stored per session; logout moves the user's generation on
/// (a grain, so every gateway sees it). The CSRF token is an HMAC of the nonce, so it can be handed out again at
/// <c>GET /auth/session</c> without storing it. A user removed from the htpasswd file loses their sessions.
/// </summary>
public sealed class WebSessions(SigningKey key, AuthOptions options, HtpasswdStore users, IGrainFactory grains, TimeProvider time)
{
    public const string CookieName = "nscr_session";
    public const string CsrfHeader = "X-CSRF-Token";
    private const int MaxCookieLength = 4096;

    public async Task<(string Cookie, WebSession Session)> CreateAsync(string user)
    {
        var generation = await grains.GetGrain<IUserSessionsGrain>(user).GetGenerationAsync();
        var expires = time.GetUtcNow() + options.SessionLifetimeValue;
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
        var payload = JsonSerializer.SerializeToUtf8Bytes(new CookiePayload(user, generation, expires.ToUnixTimeSeconds(), nonce), CookiePayloadJson.Default.CookiePayload);
        var cookie = $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(Sign(payload))}";
        return (cookie, new WebSession(user, Csrf(nonce), expires));
    }

    /// <summary>The session the cookie proves, or null when it is forged, expired, logged out or its user is gone.</summary>
    public async Task<WebSession?> ValidateAsync(string cookie)
    {
        if (cookie.Length > MaxCookieLength) return null;
        var dot = cookie.IndexOf('.');
        if (dot <= 0) return null;
        CookiePayload? payload;
        try
        {
            var bytes = Base64Url.DecodeFromChars(cookie.AsSpan(0, dot));
            var signature = Base64Url.DecodeFromChars(cookie.AsSpan(dot + 1));
            if (!CryptographicOperations.FixedTimeEquals(signature, Sign(bytes))) return null;
            payload = JsonSerializer.Deserialize(bytes, CookiePayloadJson.Default.CookiePayload);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
        if (payload is null || payload.User.Length == 0) return null;
        var expires = DateTimeOffset.FromUnixTimeSeconds(payload.Expires);
        if (expires <= time.GetUtcNow() || !users.Current.Hashes.ContainsKey(payload.User)) return null;
        var generation = await grains.GetGrain<IUserSessionsGrain>(payload.User).GetGenerationAsync();
        return generation == payload.Generation ? new WebSession(payload.User, Csrf(payload.Nonce), expires) : null;
    }

    public Task EndAsync(string user) => grains.GetGrain<IUserSessionsGrain>(user).EndSessionsAsync();

    public static bool CsrfMatches(string expected, string? presented) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));

    private byte[] Sign(ReadOnlySpan<byte> payload) => HMACSHA256.HashData(key.SessionKey, payload);

    private string Csrf(string nonce) => Base64Url.EncodeToString(HMACSHA256.HashData(key.SessionKey, Encoding.UTF8.GetBytes($"csrf\0{nonce}")));
}

public sealed record CookiePayload(string User, long Generation, long Expires, string Nonce);

[System.Text.Json.Serialization.JsonSerializable(typeof(CookiePayload))]
internal sealed partial class CookiePayloadJson : System.Text.Json.Serialization.JsonSerializerContext;
