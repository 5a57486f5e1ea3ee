using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace Nscr.Grains.Events;

/// <summary>
/// Fans events out with one-way calls, so a slow or dead gateway never holds up a publisher; subscriptions that are not
/// renewed expire (a gateway that went away stops being called). Reentrant: it keeps no state but the subscriber list.
/// </summary>
[Reentrant]
public sealed class RegistryEventsGrain(ILogger<RegistryEventsGrain> logger) : Grain, IRegistryEventsGrain
{
    /// <summary>Gateways renew every <see cref="RenewalPeriod"/>; three missed renewals end a subscription.</summary>
    public static readonly TimeSpan RenewalPeriod = TimeSpan.FromSeconds(20);

    private readonly ObserverManager<IRegistryEventsObserver> subscribers = new(RenewalPeriod * 3, logger);

    public Task PublishAsync(IReadOnlyList<RegistryEvent> events)
    {
        if (events.Count > 0) subscribers.Notify(s => s.ReceiveAsync(events));
        return Task.CompletedTask;
    }

    public Task SubscribeAsync(IRegistryEventsObserver observer)
    {
        subscribers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IRegistryEventsObserver observer)
    {
        subscribers.Unsubscribe(observer);
        return Task.CompletedTask;
    }
}
