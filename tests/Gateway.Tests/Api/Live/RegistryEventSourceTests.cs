using Microsoft.Extensions.Logging.Abstractions;
using Nscr.Gateway.Events;
using Nscr.Gateway.Webhooks;
using Nscr.Grains;
using Nscr.Grains.Events;

namespace Nscr.Gateway.Tests.Api.Live;

/// <summary>What a gateway's feed keeps of the events the cluster delivers to it.</summary>
public sealed class RegistryEventSourceTests
{
    private readonly RegistryEventSource source = new(
        TimeProvider.System, new WebhookPublisher(new WebhookOptions(), TimeProvider.System, NullLogger<WebhookPublisher>.Instance), relayed: true);

    [Fact]
    public void Events_raised_here_are_in_the_feed_once_and_queued_for_the_cluster()
    {
        source.Raise(RegistryEvent.Deleted(DateTimeOffset.UtcNow, "team/app", DeleteTarget.Tag, "v1"));
        Assert.True(source.Outbox!.TryRead(out var sent));
        Assert.Equal(source.Origin, sent.Origin);

        // The cluster sends it back along with another gateway's event.
        var other = RegistryEvent.Deleted(DateTimeOffset.UtcNow, "team/app", DeleteTarget.Tag, "v2") with { Origin = "elsewhere" };
        source.Receive([sent, other]);

        var feed = source.Feed.After(0);
        Assert.Equal(["v1", "v2"], feed.Select(i => i.Value.Event.Reference));
        Assert.Equal([1L, 2L], feed.Select(i => i.Value.Id));
        Assert.Equal(feed.Select(i => i.Id), feed.Select(i => i.Value.Id));
    }

    [Fact]
    public void A_cycle_start_arriving_after_its_end_is_dropped()
    {
        static RegistryEvent Cycle(long id, GcCycleState state) =>
            RegistryEvent.Collection(DateTimeOffset.UtcNow, new GcReport { Id = id, State = state }) with { Origin = "silo" };

        source.Receive([Cycle(7, GcCycleState.Completed), Cycle(7, GcCycleState.Running), Cycle(8, GcCycleState.Running), Cycle(8, GcCycleState.Failed)]);

        Assert.Equal(
            [(7L, GcCycleState.Completed), (8L, GcCycleState.Running), (8L, GcCycleState.Failed)],
            source.Feed.After(0).Select(i => (i.Value.Event.Gc!.Id, i.Value.Event.Gc.State)));
    }
}
