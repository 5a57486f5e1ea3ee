using System.Threading.Channels;
using Nscr.Gateway.Api;
using Nscr.Gateway.Api.Live;
using Nscr.Gateway.Observability;
using Nscr.Gateway.Oci;
using Nscr.Gateway.Webhooks;
using Nscr.Grains;
using Nscr.Grains.Events;
using Nscr.Grains.Gc;

namespace Nscr.Gateway.Events;

/// <summary>
/// The one place registry events come from: successful manifest pushes and deletes (told by <see cref="RequestTelemetry"/>),
/// deletes through the admin API, and GC cycles (as an <see cref="IGcCycleObserver"/>). An event seen here goes to the
/// webhooks (once per cluster: only the process that saw it sends them), to this gateway's live feed, and through
/// <see cref="RegistryEventRelay"/> to every other gateway's feed. Never waits and never calls a grain.
/// </summary>
public sealed class RegistryEventSource : IGcCycleObserver
{
    public const int FeedCapacity = 1000;

    /// <summary>Events waiting for the relay; when the cluster is unreachable for long, the oldest are dropped.</summary>
    private const int OutboxCapacity = 10_000;

    private readonly TimeProvider time;
    private readonly WebhookPublisher webhooks;
    private readonly Lock appending = new();
    private readonly Channel<RegistryEvent>? outbox;
    private long lastFinishedCycle;

    public RegistryEventSource(TimeProvider time, WebhookPublisher webhooks, bool relayed)
    {
        this.time = time;
        this.webhooks = webhooks;
        outbox = relayed
            ? Channel.CreateBounded<RegistryEvent>(new BoundedChannelOptions(OutboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest })
            : null;
    }

    /// <summary>This process, as the origin of the events it raises.</summary>
    public string Origin { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Recent events of the whole cluster as this gateway received them, each with this gateway's id.</summary>
    public LiveFeed<FeedEvent> Feed { get; } = new(FeedCapacity);

    /// <summary>Events raised here that the relay publishes to the cluster; null in embedded mode (one process).</summary>
    public ChannelReader<RegistryEvent>? Outbox => outbox?.Reader;

    public void Raise(RegistryEvent item)
    {
        item = item with { Origin = Origin };
        Append(item);
        webhooks.Publish(item);
        outbox?.Writer.TryWrite(item);
    }

    /// <summary>Events the cluster delivered; the ones raised here are in the feed already.</summary>
    public void Receive(IReadOnlyList<RegistryEvent> items)
    {
        foreach (var item in items)
        {
            if (item.Origin != Origin) Append(item);
        }
    }

    /// <summary>Called by <see cref="RequestTelemetry"/> after a 201 or 202.</summary>
    public void RequestSucceeded(HttpContext context, RequestRoute route, long bytesIn)
    {
        var method = context.Request.Method;
        if (ReferenceEquals(route.Kind, RouteKinds.Manifest) && route is { Repository: { } repository, Reference: { } reference })
        {
            if (HttpMethods.IsPut(method))
            {
                var digest = context.Response.Headers[OciResponses.ContentDigestHeader].ToString();
                // A PUT by digest with tag query parameters is a push of each tag it set.
                var tags = context.Response.Headers[ManifestTags.ResponseHeader];
                foreach (var pushed in tags.Count > 0 ? tags.ToArray() : [reference])
                {
                    Raise(RegistryEvent.Pushed(time.GetUtcNow(), repository, pushed!, digest, context.Request.ContentType ?? "", bytesIn));
                }
            }
            else if (HttpMethods.IsDelete(method))
            {
                var target = reference.Contains(':') ? DeleteTarget.Manifest : DeleteTarget.Tag;
                Raise(RegistryEvent.Deleted(time.GetUtcNow(), repository, target, reference));
            }
        }
        else if (ReferenceEquals(route.Kind, RouteKinds.Api) && HttpMethods.IsDelete(method)
                 && context.Request.Path.StartsWithSegments("/api/repositories", out var rest) && rest.Value is { Length: > 1 } path)
        {
            // The request succeeded, so the path parsed when it was served.
            var deleted = RepositoryRoute.Parse(path[1..]);
            var item = deleted.Resource switch
            {
                RepositoryResource.Repository => RegistryEvent.Deleted(time.GetUtcNow(), deleted.Name, DeleteTarget.Repository, deleted.Name),
                RepositoryResource.Tag => RegistryEvent.Deleted(time.GetUtcNow(), deleted.Name, DeleteTarget.Tag, deleted.Argument!),
                RepositoryResource.Manifest => RegistryEvent.Deleted(time.GetUtcNow(), deleted.Name, DeleteTarget.Manifest, deleted.Argument!),
                _ => null,
            };
            if (item is not null) Raise(item);
        }
    }

    public void CycleStarted(GcReport report) => Raise(RegistryEvent.Collection(time.GetUtcNow(), report));

    public void CycleFinished(GcReport report) => Raise(RegistryEvent.Collection(time.GetUtcNow(), report));

    /// <summary>
    /// The JSON of an event carries its feed id. Orleans does not promise message order: a cycle's start that
    /// arrives after its end is dropped, so a reader never sees a finished cycle running again.
    /// </summary>
    private void Append(RegistryEvent item)
    {
        lock (appending)
        {
            if (item.Gc is { } cycle)
            {
                if (cycle.State == GcCycleState.Running && cycle.Id <= lastFinishedCycle) return;
                if (cycle.State != GcCycleState.Running) lastFinishedCycle = Math.Max(lastFinishedCycle, cycle.Id);
            }
            Feed.Append(id => new FeedEvent(id, item));
        }
    }
}

/// <summary>An event as this gateway's feed holds it: with the feed's id.</summary>
public sealed record FeedEvent(long Id, RegistryEvent Event);
