using Nscr.Gateway.Api;

namespace Nscr.Gateway.Tests.Unit;

/// <summary>
/// Callers of a shared figure share its computation (one running, one queued) without getting figures taken before they
/// asked, unless they accept figures of some age.
/// </summary>
public sealed class SharedFigureTests
{
    private sealed class HandClock : TimeProvider
    {
        private DateTimeOffset now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }

    private readonly HandClock clock = new();
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int computations;

    /// <summary>Each computation answers its own number, once <see cref="release"/> is set.</summary>
    private SharedFigure<int> Figure() => new(async () =>
    {
        var number = Interlocked.Increment(ref computations);
        await release.Task;
        return number;
    }, clock);

    [Fact]
    public async Task Callers_arriving_together_share_two_computations_and_get_the_one_started_after_they_asked()
    {
        var figure = Figure();
        var first = figure.TakeAsync(TimeSpan.Zero, CancellationToken.None);
        var later = Enumerable.Range(0, 49).Select(_ => figure.TakeAsync(TimeSpan.Zero, CancellationToken.None)).ToArray();
        release.SetResult();

        Assert.Equal(1, (await first).Value);
        Assert.All(await Task.WhenAll(later), taken => Assert.Equal(2, taken.Value));
        Assert.Equal(2, figure.Computed);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_computation_it_shares()
    {
        var figure = Figure();
        var running = figure.TakeAsync(TimeSpan.Zero, CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        // The first caller to queue starts the next computation: its token must not be the computation's.
        var quitter = figure.TakeAsync(TimeSpan.Zero, giveUp.Token);
        var stayer = figure.TakeAsync(TimeSpan.Zero, CancellationToken.None);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quitter);
        release.SetResult();

        Assert.Equal(2, (await stayer).Value);
        Assert.Equal(1, (await running).Value);
    }

    [Fact]
    public async Task A_poll_gets_the_last_figures_while_they_are_young_enough_and_the_running_ones_too()
    {
        var figure = Figure();
        var running = figure.TakeAsync(TimeSpan.Zero, CancellationToken.None);
        var poll = figure.TakeAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        release.SetResult();
        Assert.Equal((1, 1), ((await running).Value, (await poll).Value));

        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1, (await figure.TakeAsync(TimeSpan.FromSeconds(5), CancellationToken.None)).Value);
        Assert.Equal(2, (await figure.TakeAsync(TimeSpan.Zero, CancellationToken.None)).Value);
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(3, (await figure.TakeAsync(TimeSpan.FromSeconds(5), CancellationToken.None)).Value);
        Assert.Equal(3, figure.Computed);
    }
}
