using System.ComponentModel;

namespace Nscr.Gateway.Observability;

public enum LogFormat
{
    Console,
    Json,
}

/// <summary>Logging settings (section "Nscr:Log"; env NSCR_LOG_FORMAT, NSCR_LOG_LEVEL, NSCR_LOG_REQUESTS).</summary>
public sealed class LogOptions
{
    public const string Section = "Nscr:Log";

    [Description("Log line format on standard output: console (one readable line per message) or json (one JSON object per line).")]
    public LogFormat Format { get; set; } = LogFormat.Console;

    [Description("Minimum level of every log category (Trace, Debug, Information, Warning, Error, Critical, None); Logging:LogLevel:<category> settings still refine it.")]
    public LogLevel Level { get; set; } = LogLevel.Information;

    [Description("Log one line per HTTP request (method, route kind, repository, status, bytes, duration) at Information level.")]
    public bool Requests { get; set; } = true;
}

/// <summary>Metrics settings (section "Nscr:Metrics"; env NSCR_METRICS_ENABLED, …).</summary>
public sealed class MetricsOptions
{
    public const string Section = "Nscr:Metrics";

    [Description("Serve Prometheus metrics at /metrics.")]
    public bool Enabled { get; set; } = true;

    [Description("Seconds a computed storage figure (stored blobs, bytes, repositories) is reused before a scrape recomputes it; each computation lists the blob store.")]
    [System.ComponentModel.DataAnnotations.Range(0, 86400)]
    public int StorageRefreshSeconds { get; set; } = 60;
}
