using System.Threading.RateLimiting;
using Nscr.Gateway.Logging;

namespace Nscr.Gateway.Security;

/// <summary>
/// Counts failed authentications per client in a fixed window: a 401 answered to a request that carried credentials
/// (an Authorization header, or a <c>POST /auth/login</c>). Whoever spent the window's allowance gets 429 on every further
/// credentialed request until the window ends, right or wrong password alike — that is what makes guessing slow.
/// Requests without credentials (a page asking <c>/auth/session</c>) and a valid token that merely lacks a scope
/// (<c>insufficient_scope</c>: the client fetches a wider one) are never counted.
/// </summary>
public sealed class AuthFailureLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public AuthFailureLimiter(SecuritySettings settings)
    {
        var options = settings.RateLimit;
        _failures = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ =>
            new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.AuthFailures,
                Window = options.AuthWindow,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Null when the client may try; otherwise how long until it may.</summary>
    public TimeSpan? Blocked(string client)
    {
        // Zero permits asks "is anything left?" without spending it.
        using var lease = _failures.AttemptAcquire(client, 0);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
    }

    /// <summary>Counts one failure; true when it spent the last of the window's allowance.</summary>
    public bool RecordFailure(string client)
    {
        using var lease = _failures.AttemptAcquire(client, 1);
        return lease.IsAcquired && _failures.GetStatistics(client)?.CurrentAvailablePermits == 0;
    }

    public void Dispose() => _failures.Dispose();
}

/// <summary>Applies <see cref="AuthFailureLimiter"/> around the rest of the pipeline (authentication included).</summary>
public sealed class AuthFailureMiddleware(RequestDelegate next, AuthFailureLimiter limiter, ILogger<AuthFailureMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!CarriesCredentials(request))
        {
            await next(context);
            return;
        }
        var client = RateLimiting.ClientKey(context);
        if (limiter.Blocked(client) is { } wait)
        {
            await RateLimiting.RejectAsync(context, wait, "too many failed authentication attempts from this client");
            return;
        }
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized
            && !context.Response.Headers.WWWAuthenticate.ToString().Contains("insufficient_scope", StringComparison.Ordinal)
            && limiter.RecordFailure(client))
        {
            Log.AuthAttemptsLimited(logger, client);
        }
    }

    private static bool CarriesCredentials(HttpRequest request) =>
        request.Headers.ContainsKey("Authorization")
        || (HttpMethods.IsPost(request.Method) && request.Path.Equals("/auth/login", StringComparison.OrdinalIgnoreCase));
}
