using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Nscr.Gateway.Api.Live;

/// <summary>Server-sent event streams of the admin API (section "Nscr:Live"; env NSCR_LIVE_HEARTBEAT_SECONDS).</summary>
public sealed class LiveOptions
{
    public const string Section = "Nscr:Live";

    [Description("Seconds between heartbeat comments on an idle event stream, so proxies and browsers keep it open and a dead client is noticed.")]
    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 15;

    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);
}
