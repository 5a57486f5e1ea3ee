using System.Threading.Channels;
using Nscr.Gateway.Logging;
using Nscr.Gateway.Observability;
using Nscr.Gateway.Oci;
using Nscr.Grains;
using Nscr.Grains.Gc;

namespace Nscr.Gateway.Webhooks;

/// <summary>
/// Turns registry changes into events and queues them, per endpoint, in bounded channels that
/// <see cref="WebhookDelivery"/> drains. Never waits: a full queue drops the event with a warning.
/// </summary>
public sealed class WebhookPublisher : IGcCycleObserver
{
    private readonly WebhookOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<WebhookPublisher> logger;

    public WebhookPublisher(WebhookOptions options, TimeProvider time, ILogger<WebhookPublisher> logger)
    {
        this.options = options;
        this.time = time;
        this.logger = logger;
        Queues = options.Endpoints
            .Select(e => new EndpointQueue(e, Channel.CreateBounded<WebhookEvent>(new BoundedChannelOptions(options.QueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            })))
            .ToArray();
    }

    public bool Enabled => Queues.Count > 0;

    internal IReadOnlyList<EndpointQueue> Queues { get; }

    public void Publish(string type, string subject, Action<System.Text.Json.Utf8JsonWriter> writeData)
    {
        if (!Enabled) return;
        var item = new WebhookEvent(Guid.NewGuid().ToString("N"), type, subject, time.GetUtcNow(), writeData);
        foreach (var queue in Queues)
        {
            if (!queue.Endpoint.Wants(type)) continue;
            if (!queue.Channel.Writer.TryWrite(item)) Log.WebhookDropped(logger, queue.DisplayUrl, type, item.Id);
        }
    }

    /// <summary>Called by <see cref="RequestTelemetry"/> after a 201 or 202.</summary>
    public void RequestSucceeded(HttpContext context, RequestRoute route, long bytesIn)
    {
        var method = context.Request.Method;
        if (ReferenceEquals(route.Kind, RouteKinds.Manifest) && route is { Repository: { } repository, Reference: { } reference })
        {
            var isDigest = reference.Contains(':');
            if (HttpMethods.IsPut(method))
            {
                var digest = context.Response.Headers[OciResponses.ContentDigestHeader].ToString();
                var mediaType = context.Request.ContentType ?? "";
                Publish(WebhookEvent.ManifestPushed, $"{repository}@{digest}", json =>
                {
                    json.WriteString("repository", repository);
                    if (isDigest) json.WriteNull("tag");
                    else json.WriteString("tag", reference);
                    json.WriteString("digest", digest);
                    json.WriteString("mediaType", mediaType);
                    json.WriteNumber("size", bytesIn);
                });
            }
            else if (HttpMethods.IsDelete(method))
            {
                Publish(isDigest ? WebhookEvent.ManifestDeleted : WebhookEvent.TagDeleted, isDigest ? $"{repository}@{reference}" : $"{repository}:{reference}", json =>
                {
                    json.WriteString("repository", repository);
                    json.WriteString(isDigest ? "digest" : "tag", reference);
                });
            }
        }
        else if (ReferenceEquals(route.Kind, RouteKinds.Api) && HttpMethods.IsDelete(method)
                 && context.Request.Path.StartsWithSegments("/api/repositories", out var rest) && rest.Value is { Length: > 1 } name)
        {
            var repositoryName = name[1..];
            Publish(WebhookEvent.RepositoryDeleted, repositoryName, json => json.WriteString("repository", repositoryName));
        }
    }

    public void CycleFinished(GcReport report)
    {
        if (report.DryRun) return;
        Publish(WebhookEvent.GcCompleted, $"gc/{report.Id}", json =>
        {
            json.WriteNumber("id", report.Id);
            json.WriteString("state", report.State.ToString().ToLowerInvariant());
            json.WriteString("trigger", report.Trigger);
            json.WriteString("startedAt", report.StartedAt);
            if (report.FinishedAt is { } finished) json.WriteString("finishedAt", finished);
            json.WriteNumber("deletedTags", report.DeletedTags);
            json.WriteNumber("deletedManifests", report.DeletedManifests);
            json.WriteNumber("deletedBlobs", report.DeletedBlobs);
            json.WriteNumber("expiredUploads", report.ExpiredUploads);
            json.WriteNumber("bytesReclaimed", report.BytesReclaimed);
            json.WriteNumber("errors", report.Errors.Count);
        });
    }

    internal sealed record EndpointQueue(WebhookEndpoint Endpoint, Channel<WebhookEvent> Channel)
    {
        /// <summary>Scheme and host only: a receiver URL may carry a token in its path or query.</summary>
        public string DisplayUrl { get; } = Uri.TryCreate(Endpoint.Url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}" : "(invalid url)";
    }
}
