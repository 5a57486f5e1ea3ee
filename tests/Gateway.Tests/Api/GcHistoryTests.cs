using System.Net;

namespace Nscr.Gateway.Tests.Api;

public sealed class GcHistoryTests
{
    [Fact]
    public async Task The_history_survives_a_restart_and_new_cycles_get_new_ids()
    {
        await using var scope = await GcRegistryScope.StartAsync();
        var registry = scope.Registry;
        var first = await registry.Client.RunGcAsync(dryRun: true);
        var second = await registry.Client.RunGcAsync();

        await registry.RestartAsync();

        using var status = await registry.Client.GetAsync("/api/gc");
        var history = (await AdminApi.JsonAsync(status, HttpStatusCode.OK))["history"]!.AsArray();
        Assert.Equal([second.Number("id"), first.Number("id")], history.Select(h => h!["id"]!.GetValue<long>()));
        Assert.True(history[1]!["dryRun"]!.GetValue<bool>());
        Assert.Equal(second["startedAt"]!.GetValue<DateTime>(), history[0]!["startedAt"]!.GetValue<DateTime>());
        var third = await registry.Client.RunGcAsync();
        Assert.True(third.Number("id") > second.Number("id"));
    }
}
