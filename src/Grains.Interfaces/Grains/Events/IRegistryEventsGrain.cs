namespace Nscr.Grains.Events;

/// <summary>
/// Singleton (key 0) that fans registry events out to every subscribed gateway. Holds no state but its subscribers: a
/// gateway re-subscribes periodically, and at once when it finds it is talking to another activation than the one it
/// subscribed to (the grain moved after a silo left, or the cluster briefly had two activations while silos joined).
/// Both calls answer the activation's incarnation, a random id of that activation, for that check.
/// </summary>
[Alias("nscr.IRegistryEventsGrain")]
public interface IRegistryEventsGrain : IGrainWithIntegerKey
{
    /// <summary>Sends <paramref name="events"/> to every subscriber (the publishing gateway included).</summary>
    [Alias("Publish")]
    Task<Guid> PublishAsync(IReadOnlyList<RegistryEvent> events);

    /// <summary>Subscribes or renews <paramref name="observer"/>; a subscription not renewed within the expiry lapses.</summary>
    [Alias("Subscribe")]
    Task<Guid> SubscribeAsync(IRegistryEventsObserver observer);

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
