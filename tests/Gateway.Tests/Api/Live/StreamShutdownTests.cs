using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Gateway.Hosting;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api.Live;

public sealed class StreamShutdownTests
{
    [Fact]
    public async Task Open_log_and_event_streams_end_when_the_registry_stops_and_do_not_hold_it_up()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "nscr-gateway-tests", Guid.NewGuid().ToString("N"));
        var app = RegistryHost.Build(
            ["--port", "0", "--listen-address", "127.0.0.1", "--data-dir", dataDir],
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Configuration.AddInMemoryCollection(LiveRegistry.Settings);
            });
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = Timeout.InfiniteTimeSpan };
            var streams = new[]
            {
                await SseClient.OpenAsync(http, "/api/logs/stream"),
                await SseClient.OpenAsync(http, "/api/events/stream?backlog=10"),
            };
            foreach (var stream in streams) Assert.Equal("retry", (await stream.ReadAsync(LiveRegistry.Wait))?.Event);

            var stopwatch = Stopwatch.StartNew();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30))) await app.StopAsync(timeout.Token);
            stopwatch.Stop();

            foreach (var stream in streams)
            {
                // Heartbeats may come before the end; then the stream ends (null), it does not hang.
                SseMessage? message;
                do message = await stream.ReadAsync(LiveRegistry.Wait);
                while (message is { IsComment: true });
                Assert.Null(message);
                await stream.DisposeAsync();
            }
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"stopping with two open streams took {stopwatch.Elapsed}");
        }
        finally
        {
            await app.DisposeAsync();
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
