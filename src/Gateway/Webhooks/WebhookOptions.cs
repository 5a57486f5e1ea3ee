using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Nscr.Gateway.Webhooks;

/// <summary>Webhook settings (section "Nscr:Webhooks"); endpoints as a list: <c>Nscr__Webhooks__Endpoints__0__Url</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Nscr:Webhooks";

    [Description("Receivers of registry events; none by default.")]
    public List<WebhookEndpoint> Endpoints { get; set; } = [];

    [Description("Events waiting for delivery per endpoint; when full, new events for it are dropped with a warning.")]
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 1000;

    [Description("Delivery attempts per event and endpoint before it is given up (logged as an error).")]
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 6;

    [Description("Wait before the first retry; it doubles after each failed attempt (at most 5 minutes).")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    [Description("The CloudEvents 'source' of every event this process sends.")]
    [Required]
    public string Source { get; set; } = "nscr";
}

/// <summary>One receiver of webhook events.</summary>
public sealed class WebhookEndpoint
{
    [Description("Absolute http(s) URL the events are POSTed to.")]
    [Required, Url]
    public string Url { get; set; } = "";

    [Description("Event types to send, without the 'io.nscr.' prefix: manifest.pushed, manifest.deleted, tag.deleted, repository.deleted, gc.completed; a trailing '*' matches a prefix (manifest.*); empty sends all.")]
    public List<string> Events { get; set; } = [];

    [Description("When set, each request carries X-Nscr-Signature: sha256=<hex HMAC-SHA256 of the body with this secret>.")]
    public string? Secret { get; set; }

    [Description("Time one delivery attempt may take before it counts as failed.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Wants(string type)
    {
        if (Events.Count == 0) return true;
        var name = type.StartsWith(WebhookEvent.TypePrefix, StringComparison.Ordinal) ? type[WebhookEvent.TypePrefix.Length..] : type;
        foreach (var filter in Events)
        {
            if (filter == "*" || string.Equals(filter, name, StringComparison.OrdinalIgnoreCase)) return true;
            if (filter.EndsWith('*') && name.StartsWith(filter[..^1], StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
