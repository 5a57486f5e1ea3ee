using Nscr.Gateway.Logging;
using Nscr.Grains.Events;

namespace Nscr.Gateway.Events;

/// <summary>
/// A cluster gateway's link to <see cref="IRegistryEventsGrain"/>: publishes the events raised here (in order, in
/// batches) and receives everyone's through a grain observer, renewing the subscription periodically so a grain
/// activation that moved (silo restart) gets it back.
/// </summary>
public sealed class RegistryEventRelay(IGrainFactory grains, RegistryEventSource source, ILogger<RegistryEventRelay> logger)
    : BackgroundService, IRegistryEventsObserver
{
    private const int BatchSize = 256;
    private const int PublishAttempts = 5;

    /// <summary>Renewed once per period; the grain forgets a gateway after three missed renewals.</summary>
    public static TimeSpan RenewalPeriod => RegistryEventsGrain.RenewalPeriod;

    private volatile bool subscribed;

    /// <summary>Whether the last subscription (or renewal) succeeded: events of other gateways are arriving.</summary>
    public bool Subscribed => subscribed;

    public Task ReceiveAsync(IReadOnlyList<RegistryEvent> events)
    {
        source.Receive(events);
        return Task.CompletedTask;
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
            try
            {
                await hub.SubscribeAsync(reference).WaitAsync(stoppingToken);
                if (!subscribed) Log.EventsSubscribed(logger);
                subscribed = true;
                await Task.Delay(RenewalPeriod, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                subscribed = false;
                Log.EventsSubscribeFailed(logger, e.GetType().Name, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private async Task PublishAsync(IRegistryEventsGrain hub, CancellationToken stoppingToken)
    {
        var reader = source.Outbox!.Reader;
        var batch = new List<RegistryEvent>(BatchSize);
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < BatchSize && reader.TryRead(out var item)) batch.Add(item);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await hub.PublishAsync(batch.ToArray()).WaitAsync(stoppingToken);
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
    }
}
