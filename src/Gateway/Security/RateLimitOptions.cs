using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Nscr.Gateway.Security;

/// <summary>Per-client (remote IP) rate limits (env NSCR_RATE_LIMIT_*). Rejections answer 429 TOOMANYREQUESTS with Retry-After.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Nscr:RateLimit";

    [Description("Failed authentication attempts a client address may make per AuthWindow for one user name (0 = no limit): 401 answers to requests carrying credentials and to POST /auth/login. Once spent, attempts for that user from that address get 429 until the window ends; other users from the same address still get in.")]
    [Range(0, 1_000_000)]
    public int AuthFailures { get; set; } = 100;

    [Description("Failed authentication attempts a client address may make per AuthWindow whatever the user names (0 = no ceiling): once spent, every credentialed request from that address gets 429 until the window ends. Far above AuthFailures, so many CI runners behind one NAT address do not lock each other out.")]
    [Range(0, 100_000_000)]
    public int AuthFailuresPerAddress { get; set; } = 2000;

    [Description("Window of the AuthFailures limit.")]
    public TimeSpan AuthWindow { get; set; } = TimeSpan.FromMinutes(1);

    [Description("Sustained /v2/ and /api/ requests per second per client (0 = no limit, the default; token bucket).")]
    [Range(0, 1_000_000)]
    public int ApiRequestsPerSecond { get; set; }

    [Description("Burst of /v2/ and /api/ requests a client may make above the sustained rate (defaults to 10 seconds' worth).")]
    [Range(0, 10_000_000)]
    public int ApiBurst { get; set; }

    public IEnumerable<string> Validate()
    {
        if (AuthFailures > 0 && AuthWindow <= TimeSpan.Zero) yield return "RateLimit:AuthWindow must be positive.";
    }
}
