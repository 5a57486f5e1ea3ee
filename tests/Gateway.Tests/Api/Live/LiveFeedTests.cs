using Nscr.Gateway.Api.Live;

namespace Nscr.Gateway.Tests.Api.Live;

public sealed class LiveFeedTests
{
    [Fact]
    public void Ids_increase_and_the_ring_keeps_only_the_newest()
    {
        var feed = new LiveFeed<string>(3);
        Assert.Equal(1, feed.Append("a"));
        Assert.Equal(2, feed.Append("b"));
        feed.Append("c");
        feed.Append("d");
        Assert.Equal(4, feed.LastId);
        Assert.Equal(["b", "c", "d"], feed.After(0).Select(i => i.Value));
        Assert.Equal([3L, 4L], feed.After(2).Select(i => i.Id));
        Assert.Empty(feed.After(4));
        Assert.Equal(["b"], feed.After(0, max: 1).Select(i => i.Value));
    }

    [Fact]
    public void An_item_can_carry_the_id_it_is_given()
    {
        var feed = new LiveFeed<string>(4);
        feed.Append("first");
        Assert.Equal(2, feed.Append(id => $"item {id}"));
        Assert.Equal("item 2", feed.After(1).Single().Value);
        Assert.Throws<InvalidOperationException>(() => feed.Append(_ => throw new InvalidOperationException()));
        Assert.Equal(3, feed.Append(id => $"item {id}"));
    }

    [Fact]
    public void An_id_from_before_a_restart_reads_everything_held()
    {
        var feed = new LiveFeed<int>(10);
        feed.Append(1);
        feed.Append(2);
        Assert.Equal([1, 2], feed.After(900).Select(i => i.Value));
    }

    [Fact]
    public async Task A_waiter_wakes_on_the_next_append_and_not_before()
    {
        var feed = new LiveFeed<int>(4);
        feed.Append(1);
        Assert.True(feed.WaitAsync(0, CancellationToken.None).IsCompleted);
        var waiting = feed.WaitAsync(1, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        feed.Append(2);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_bounded_wait_answers_false_on_timeout_and_true_on_append()
    {
        var feed = new LiveFeed<int>(4);
        Assert.False(await feed.WaitAsync(0, TimeSpan.FromMilliseconds(20), TimeProvider.System, CancellationToken.None));
        var waiting = feed.WaitAsync(0, TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);
        feed.Append(7);
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Concurrent_appends_lose_no_id()
    {
        var feed = new LiveFeed<int>(100_000);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 5_000; i++) feed.Append(w);
        })));
        var items = feed.After(0);
        Assert.Equal(40_000, items.Count);
        Assert.Equal(Enumerable.Range(1, 40_000).Select(i => (long)i), items.Select(i => i.Id));
    }
}
