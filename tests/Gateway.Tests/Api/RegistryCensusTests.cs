using Microsoft.Extensions.DependencyInjection;
using Nscr.Gateway.Api;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api;

/// <summary>Callers of the census share it (one running, one queued) without ever getting figures from before they asked.</summary>
public sealed class RegistryCensusTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryCensus Census => registry.Services.GetRequiredService<RegistryCensus>();

    [Fact]
    public async Task Callers_arriving_together_share_at_most_two_censuses()
    {
        await registry.Client.PushImageAsync("census/shared", "1");
        var census = Census;
        var before = census.Taken;
        var calls = Enumerable.Range(0, 50).Select(_ => census.TakeAsync(CancellationToken.None)).ToArray();
        var results = await Task.WhenAll(calls);
        Assert.InRange(census.Taken - before, 1, 2);
        Assert.All(results, r => Assert.Contains(r.Repositories, u => u.Name == "census/shared"));
    }

    [Fact]
    public async Task A_caller_that_arrives_during_a_census_sees_what_was_pushed_before_it_asked()
    {
        var census = Census;
        var running = census.TakeAsync(CancellationToken.None);
        await registry.Client.PushImageAsync("census/late", "1");
        var later = await census.TakeAsync(CancellationToken.None);
        Assert.Contains(later.Repositories, u => u.Name == "census/late");
        await running;
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_census_it_shares()
    {
        await registry.Client.PushImageAsync("census/cancel", "1");
        var census = Census;
        var running = census.TakeAsync(CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        // The first caller to queue starts the next census: its token must not be the census's.
        var quitter = census.TakeAsync(giveUp.Token);
        var stayer = census.TakeAsync(CancellationToken.None);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quitter);
        Assert.Contains((await stayer).Repositories, u => u.Name == "census/cancel");
        await running;
    }
}
