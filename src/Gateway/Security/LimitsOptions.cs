using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Nscr.Gateway.Security;

/// <summary>Connection and request limits enforced by Kestrel (env NSCR_LIMITS_*). The manifest size limit (4 MiB)
/// is fixed; the blob size limit is <c>Nscr:MaxBlobBytes</c>.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Nscr:Limits";

    [Description("Largest total size of a request's headers, in bytes (431 beyond).")]
    [Range(4 * 1024, 1024 * 1024)]
    public int MaxRequestHeadersBytes { get; set; } = 64 * 1024;

    [Description("Most headers in one request (431 beyond).")]
    [Range(8, 1000)]
    public int MaxRequestHeaderCount { get; set; } = 100;

    [Description("Longest request line (method, path and query), in bytes (414 beyond).")]
    [Range(1024, 64 * 1024)]
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    [Description("Time a client has to send a request's headers once it starts one.")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Description("An idle keep-alive connection is closed after this long.")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    [Description("Slowest accepted request body, in bytes per second averaged since the body started (0 = no minimum): a stalled upload is cut once below it after the grace period.")]
    [Range(0, 1024 * 1024 * 1024)]
    public int MinRequestBodyBytesPerSecond { get; set; } = 240;

    [Description("Grace period before the minimum body rate applies: an upload that sends nothing is cut after this long.")]
    public TimeSpan RequestBodyGrace { get; set; } = TimeSpan.FromSeconds(10);

    [Description("Most simultaneous connections (0 = no limit).")]
    [Range(0, 1_000_000)]
    public long MaxConnections { get; set; }

    public IEnumerable<string> Validate()
    {
        if (RequestHeadersTimeout <= TimeSpan.Zero) yield return "Limits:RequestHeadersTimeout must be positive.";
        if (KeepAliveTimeout <= TimeSpan.Zero) yield return "Limits:KeepAliveTimeout must be positive.";
        // Kestrel's own floor: the rate is sampled once a second.
        if (RequestBodyGrace <= TimeSpan.FromSeconds(1)) yield return "Limits:RequestBodyGrace must be more than 1 second.";
    }
}
