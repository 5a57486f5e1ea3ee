using System.Threading.Channels;
using Nscr.Gateway.Logging;
using Nscr.Grains;
using Nscr.Grains.Events;

namespace Nscr.Gateway.Webhooks;

/// <summary>
/// Turns registry events (from <see cref="Events.RegistryEventSource"/>) into CloudEvents and queues them, per endpoint,
/// in bounded channels that <see cref="WebhookDelivery"/> drains. Never waits: a full queue drops the event with a warning.
/// </summary>
public sealed class WebhookPublisher
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

    /// <summary>Turns a registry event raised in this process into its CloudEvent (a GC cycle only once it finished for real).</summary>
    public void Publish(RegistryEvent item)
    {
        if (!Enabled) return;
        switch (item)
        {
            case { Type: RegistryEventType.Push, Repository: { } repository, Reference: { } reference }:
                var isDigest = reference.Contains(':');
                Publish(WebhookEvent.ManifestPushed, $"{repository}@{item.Digest}", json =>
                {
                    json.WriteString("repository", repository);
                    if (isDigest) json.WriteNull("tag");
                    else json.WriteString("tag", reference);
                    json.WriteString("digest", item.Digest);
                    json.WriteString("mediaType", item.MediaType);
                    json.WriteNumber("size", item.SizeBytes);
                });
                break;
            case { Type: RegistryEventType.Delete, Repository: { } repository, Reference: { } reference }:
                switch (item.Target)
                {
                    case DeleteTarget.Manifest:
                        Publish(WebhookEvent.ManifestDeleted, $"{repository}@{reference}", json => Deleted(json, repository, "digest", reference));
                        break;
                    case DeleteTarget.Tag:
                        Publish(WebhookEvent.TagDeleted, $"{repository}:{reference}", json => Deleted(json, repository, "tag", reference));
                        break;
                    default:
                        Publish(WebhookEvent.RepositoryDeleted, repository, json => json.WriteString("repository", repository));
                        break;
                }
                break;
            case { Type: RegistryEventType.Gc, Gc: { State: not GcCycleState.Running, DryRun: false } report }:
                CycleFinished(report);
                break;
        }
    }

    private static void Deleted(System.Text.Json.Utf8JsonWriter json, string repository, string name, string reference)
    {
        json.WriteString("repository", repository);
        json.WriteString(name, reference);
    }

    private void CycleFinished(GcReport report) =>
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

    internal sealed record EndpointQueue(WebhookEndpoint Endpoint, Channel<WebhookEvent> Channel)
    {
        /// <summary>Scheme and host only: a receiver URL may carry a token in its path or query.</summary>
        public string DisplayUrl { get; } = Uri.TryCreate(Endpoint.Url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}" : "(invalid url)";
    }
}
