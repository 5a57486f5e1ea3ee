namespace Nscr.Grains.Events;

/// <summary>
/// Singleton (key 0) that fans registry events out to every subscribed gateway. Holds no state: a gateway re-subscribes
/// periodically, so an activation that moved to another silo has its subscribers back within one renewal.
/// </summary>
[Alias("nscr.IRegistryEventsGrain")]
public interface IRegistryEventsGrain : IGrainWithIntegerKey
{
    /// <summary>Sends <paramref name="events"/> to every subscriber (the publishing gateway included).</summary>
    [Alias("Publish")]
    Task PublishAsync(IReadOnlyList<RegistryEvent> events);

    /// <summary>Subscribes or renews <paramref name="observer"/>; a subscription not renewed within the expiry lapses.</summary>
    [Alias("Subscribe")]
    Task SubscribeAsync(IRegistryEventsObserver observer);

    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(IRegistryEventsObserver observer);
}

/// <summary>A gateway's receiver of the cluster's registry events.</summary>
[Alias("nscr.IRegistryEventsObserver")]
public interface IRegistryEventsObserver : IGrainObserver
{
    [Alias("Receive"), Orleans.Concurrency.OneWay]
    Task ReceiveAsync(IReadOnlyList<RegistryEvent> events);
}
