using System.Net;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api;

public sealed class GcReminderTests
{
    [Fact]
    public async Task The_reminder_runs_cycles_on_the_configured_interval()
    {
        await using var scope = await GcRegistryScope.StartAsync(new Dictionary<string, string> { ["Gc:Interval"] = "1s" });
        var client = scope.Registry.Client;
        var repository = TestContent.Repository("gc-reminder");
        var loose = await client.PushRandomBlobAsync(repository, 123);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var status = await client.GetAsync("/api/gc");
            var history = (await AdminApi.JsonAsync(status, HttpStatusCode.OK))["history"]!.AsArray();
            if (history.Any(h => h!["trigger"]!.GetValue<string>() == "reminder" && h["deletedBlobs"]!.GetValue<long>() >= 1)) break;
            Assert.True(DateTime.UtcNow < deadline, "no reminder cycle collected the loose blob within 30 s");
            await Task.Delay(200);
        }
        Assert.False(scope.Registry.BlobFileExists(loose.Digest));
    }
}
