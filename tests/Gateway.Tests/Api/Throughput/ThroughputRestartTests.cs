using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api.Throughput;

public sealed class ThroughputRestartTests
{
    [Fact]
    public async Task History_survives_a_graceful_restart_on_the_same_data_directory()
    {
        var registry = new RegistryFixture();
        await registry.InitializeAsync();
        try
        {
            var repository = TestContent.Repository("throughput-restart");
            var first = await registry.Client.PushRandomBlobAsync(repository, 3000);
            // In the grain's memory, not yet necessarily written: the restart must write it.
            await registry.Client.HistoryUntilAsync("second", h => h.Sum("blobPush", "bytesIn") >= first.Size, TimeSpan.FromSeconds(15));

            await registry.RestartAsync();

            var minutes = await registry.Client.HistoryAsync("minute");
            Assert.Equal(first.Size, minutes.Sum("blobPush", "bytesIn"));
            Assert.Equal(first.Size, (await registry.Client.HistoryAsync("day")).Sum("blobPush", "bytesIn"));

            // Pushed just before stopping: the process reports its last partial second as it stops.
            var second = await registry.Client.PushRandomBlobAsync(repository, 5000);
            await registry.RestartAsync();

            Assert.Equal(first.Size + second.Size, (await registry.Client.HistoryAsync("hour")).Sum("blobPush", "bytesIn"));
        }
        finally
        {
            await registry.DisposeAsync();
        }
    }
}
