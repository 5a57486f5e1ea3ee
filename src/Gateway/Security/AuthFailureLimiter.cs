using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Nscr.Gateway.Logging;

namespace Nscr.Gateway.Security;

/// <summary>
/// Counts failed authentications in fixed windows per (client address, user name) and, with a far higher ceiling, per
/// address: a 401 answered to a request that carried credentials (an Authorization header, or a <c>POST /auth/login</c>).
/// A pair that spent its allowance gets 429 on further attempts for that user until the window ends, right or wrong
/// password alike — that is what makes guessing slow — while other users behind the same address (a CI fleet behind
/// NAT) still get in until the address ceiling is reached. Requests without credentials and a valid token that merely
/// lacks a scope (<c>insufficient_scope</c>) are never counted. At most <see cref="MaxTracked"/> pairs and addresses
/// are remembered: a spray of new user names beyond that is counted against the address only.
/// </summary>
public sealed class AuthFailureLimiter(SecuritySettings settings, TimeProvider time)
{
    public const int MaxTracked = 10_000;

    private readonly RateLimitOptions options = settings.RateLimit;
    private readonly ConcurrentDictionary<string, Window> pairs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Window> addresses = new(StringComparer.Ordinal);

    /// <summary>How many (address, user) pairs and addresses are remembered (tests).</summary>
    public int TrackedCount => pairs.Count + addresses.Count;

    /// <summary>Null when the client may try for this user; otherwise how long until it may.</summary>
    public TimeSpan? Blocked(string address, string? user)
    {
        var now = time.GetUtcNow();
        return Wait(pairs, PairKey(address, user), options.AuthFailures, now)
            ?? (options.AuthFailuresPerAddress > 0 ? Wait(addresses, address, options.AuthFailuresPerAddress, now) : null);
    }

    /// <summary>Counts one failure; true when it spent the last of the pair's or the address's allowance.</summary>
    public bool RecordFailure(string address, string? user)
    {
        var now = time.GetUtcNow();
        var spent = Count(pairs, PairKey(address, user), options.AuthFailures, now);
        if (options.AuthFailuresPerAddress > 0) spent |= Count(addresses, address, options.AuthFailuresPerAddress, now);
        return spent;
    }

    private static string PairKey(string address, string? user) => $"{address}\0{user}";

    private TimeSpan? Wait(ConcurrentDictionary<string, Window> windows, string key, int limit, DateTimeOffset now)
    {
        if (!windows.TryGetValue(key, out var window)) return null;
        lock (window)
        {
            var ends = window.Start + options.AuthWindow;
            return ends > now && window.Failures >= limit ? ends - now : null;
        }
    }

    private bool Count(ConcurrentDictionary<string, Window> windows, string key, int limit, DateTimeOffset now)
    {
        if (!windows.TryGetValue(key, out var window))
        {
            if (windows.Count >= MaxTracked) Forget(windows, now);
            if (windows.Count >= MaxTracked) return false;
            window = windows.GetOrAdd(key, _ => new Window { Start = now });
        }
        lock (window)
        {
            if (window.Start + options.AuthWindow <= now)
            {
                window.Start = now;
                window.Failures = 0;
            }
            window.Failures++;
            return window.Failures == limit;
        }
    }

    /// <summary>Drops the windows that have ended (their counts no longer matter).</summary>
    private void Forget(ConcurrentDictionary<string, Window> windows, DateTimeOffset now)
    {
        foreach (var (key, window) in windows)
        {
            bool ended;
            lock (window) ended = window.Start + options.AuthWindow <= now;
            if (ended) windows.TryRemove(key, out _);
        }
    }

    private sealed class Window
    {
        public DateTimeOffset Start { get; set; }
        public int Failures { get; set; }
    }
}

/// <summary>Applies <see cref="AuthFailureLimiter"/> around the rest of the pipeline (authentication included).</summary>
public sealed class AuthFailureMiddleware(RequestDelegate next, AuthFailureLimiter limiter, ILogger<AuthFailureMiddleware> logger)
{
    private const int MaxLoginPeekBytes = 16 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var isLogin = HttpMethods.IsPost(request.Method) && request.Path.Equals("/auth/login", StringComparison.OrdinalIgnoreCase);
        if (!isLogin && !request.Headers.ContainsKey("Authorization"))
        {
            await next(context);
            return;
        }
        var client = RateLimiting.ClientKey(context);
        var user = isLogin ? await LoginUserAsync(request, context.RequestAborted) : BasicUser(request);
        if (limiter.Blocked(client, user) is { } wait)
        {
            await RateLimiting.RejectAsync(context, wait, "too many failed authentication attempts from this client");
            return;
        }
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized
            && !context.Response.Headers.WWWAuthenticate.ToString().Contains("insufficient_scope", StringComparison.Ordinal)
            && limiter.RecordFailure(client, user))
        {
            Log.AuthAttemptsLimited(logger, client);
        }
    }

    /// <summary>The user name of Basic credentials; null for a token (its failures count against the address's no-name slot).</summary>
    private static string? BasicUser(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = decoded.IndexOf(':');
            return colon < 0 ? null : decoded[..colon];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The username of a JSON login body, read from a buffered copy the endpoint reads again.</summary>
    private static async Task<string?> LoginUserAsync(HttpRequest request, CancellationToken cancellation)
    {
        if (request.ContentLength is > MaxLoginPeekBytes) return null;
        request.EnableBuffering(MaxLoginPeekBytes);
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellation);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("username", out var user) && user.ValueKind == JsonValueKind.String
                ? user.GetString()
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException or BadHttpRequestException)
        {
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}
