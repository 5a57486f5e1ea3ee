using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Nscr.Gateway.Oci;
using Nscr.Oci;

namespace Nscr.Gateway.Security;

/// <summary>
/// Per-client limits: API calls through ASP.NET Core's rate limiter (a token bucket per remote IP over /v2/ and
/// /api/), failed authentications through <see cref="AuthFailureLimiter"/>. A limit set to 0 adds nothing to the
/// pipeline, so the default path (API limit off) costs nothing.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddNscrRateLimiting(this IServiceCollection services, RateLimitOptions options)
    {
        if (options.AuthFailures > 0) services.AddSingleton<AuthFailureLimiter>();
        if (options.ApiRequestsPerSecond <= 0) return services;
        var burst = options.ApiBurst > 0 ? options.ApiBurst : checked(options.ApiRequestsPerSecond * 10);
        return services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsApi(context.Request.Path)
                    ? RateLimitPartition.GetTokenBucketLimiter(ClientKey(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = burst,
                        TokensPerPeriod = options.ApiRequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                return new ValueTask(RejectAsync(rejected.HttpContext, retryAfter, "too many requests from this client"));
            };
        });
    }

    public static void UseNscrRateLimiting(this WebApplication app, RateLimitOptions options)
    {
        if (options.AuthFailures > 0) app.UseMiddleware<AuthFailureMiddleware>();
        if (options.ApiRequestsPerSecond > 0) app.UseRateLimiter();
    }

    /// <summary>The partition of a request: its remote address (behind a proxy, the proxy's — configure the proxy's own limits).</summary>
    public static string ClientKey(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>429 TOOMANYREQUESTS with <c>Retry-After</c> in whole seconds (at least 1).</summary>
    public static Task RejectAsync(HttpContext context, TimeSpan retryAfter, string message)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers[OciResponses.ApiVersionHeader] = "registry/2.0";
        return OciResponses.WriteErrorAsync(context, OciErrorCode.TooManyRequests, message);
    }

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/v2", StringComparison.Ordinal) || path.StartsWithSegments("/api", StringComparison.Ordinal);
}
