using Nscr.Gateway.Logging;
using Nscr.Grains.Events;

namespace Nscr.Gateway.Events;

/// <summary>
/// A cluster gateway's link to <see cref="IRegistryEventsGrain"/>: publishes the events raised here (in order, in
/// batches) and receives everyone's through a grain observer. The subscription is renewed periodically, and at once when
/// a publish reaches another activation than the one subscribed to, so a grain activation that moved (or a duplicate
/// that briefly existed while silos joined) costs at most the events of that short window.
/// </summary>
public sealed class RegistryEventRelay(IGrainFactory grains, RegistryEventSource source, ILogger<RegistryEventRelay> logger)
    : BackgroundService, IRegistryEventsObserver
{
    private const int BatchSize = 256;
    private const int PublishAttempts = 5;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim resubscribe = new(0, 1);
    private readonly Lock gate = new();
    private Guid? incarnation;

    /// <summary>Renewed once per period; the grain forgets a gateway after three missed renewals.</summary>
    public static TimeSpan RenewalPeriod => RegistryEventsGrain.RenewalPeriod;

    /// <summary>The activation of the events grain this gateway is subscribed to; null while it is not.</summary>
    public Guid? Incarnation
    {
        get
        {
            lock (gate) return incarnation;
        }
    }

    public Task ReceiveAsync(IReadOnlyList<RegistryEvent> events)
    {
        source.Receive(events);
        return Task.CompletedTask;
    }

    public override void Dispose()
    {
        resubscribe.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (source.Outbox is null) return;
        var reference = grains.CreateObjectReference<IRegistryEventsObserver>(this);
        var hub = grains.GetGrain<IRegistryEventsGrain>(0);
        try
        {
            await Task.WhenAll(SubscribeAsync(hub, reference, stoppingToken), PublishAsync(hub, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await UnsubscribeAsync(hub, reference);
            grains.DeleteObjectReference<IRegistryEventsObserver>(reference);
        }
    }

    private async Task SubscribeAsync(IRegistryEventsGrain hub, IRegistryEventsObserver reference, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var current = await hub.SubscribeAsync(reference).WaitAsync(stoppingToken);
                Guid? previous;
                lock (gate)
                {
                    previous = incarnation;
                    incarnation = current;
                }
                if (previous != current) Log.EventsSubscribed(logger, current);
                wait = RenewalPeriod;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lock (gate) incarnation = null;
                Log.EventsSubscribeFailed(logger, e.GetType().Name, e.Message);
                wait = RetryDelay;
            }
            // Woken early when a publish met another activation.
            await resubscribe.WaitAsync(wait, stoppingToken);
        }
    }

    private async Task PublishAsync(IRegistryEventsGrain hub, CancellationToken stoppingToken)
    {
        var reader = source.Outbox!;
        var batch = new List<RegistryEvent>(BatchSize);
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < BatchSize && reader.TryRead(out var item)) batch.Add(item);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var reached = await hub.PublishAsync(batch.ToArray()).WaitAsync(stoppingToken);
                    if (reached != Incarnation) Resubscribe();
                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (attempt >= PublishAttempts)
                    {
                        Log.EventsPublishFailed(logger, batch.Count, e.GetType().Name, e.Message);
                        break;
                    }
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), stoppingToken);
                }
            }
            batch.Clear();
        }
    }

    private void Resubscribe()
    {
        try
        {
            resubscribe.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already due.
        }
    }

    private async Task UnsubscribeAsync(IRegistryEventsGrain hub, IRegistryEventsObserver reference)
    {
        try
        {
            await hub.UnsubscribeAsync(reference).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e)
        {
            // The subscription lapses by itself; the cluster may already be gone at shutdown.
            Log.EventsUnsubscribeFailed(logger, e.GetType().Name);
        }
        lock (gate) incarnation = null;
    }
}
