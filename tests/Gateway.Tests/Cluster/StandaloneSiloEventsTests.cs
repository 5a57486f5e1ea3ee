using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nscr.Gateway.Events;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Silo.Hosting;
using Nscr.Silo.Tests.Postgres;

namespace Nscr.Gateway.Tests.Cluster;

/// <summary>A cluster of a standalone silo (no gateway in it) and a pure gateway: the silo's GC cycles still reach the feed.</summary>
public sealed class StandaloneSiloEventsTests
{
    [Fact]
    public async Task A_gc_cycle_run_by_a_standalone_silo_streams_to_a_pure_gateway()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "nscr-cluster-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        await using var server = await PostgresServer.StartAsync();
        var connectionString = await server.CreateDatabaseAsync("standalone");
        using var silo = SiloProgram.Build([], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Nscr:Postgres"] = connectionString,
                ["Nscr:ClusterId"] = "gateway-tests",
                ["Nscr:DataDir"] = dataDir,
                ["Nscr:SiloPort"] = FreePort(),
                ["Nscr:GatewayPort"] = FreePort(),
            });
        });
        await silo.StartAsync();
        var (gateway, client) = await ClusterRegistry.StartAsync(connectionString, dataDir, "gateway");
        try
        {
            var relay = gateway.Services.GetServices<IHostedService>().OfType<RegistryEventRelay>().Single();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!relay.Subscribed)
            {
                Assert.True(DateTime.UtcNow < deadline, "the pure gateway never subscribed to the cluster's events");
                await Task.Delay(20);
            }
            using var http = new HttpClient { BaseAddress = client.Http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            await using var sse = await SseClient.OpenAsync(http, "/api/events/stream");
            using var gc = await client.SendAsync(HttpMethod.Post, "/api/gc?wait=true");
            Assert.Equal(HttpStatusCode.OK, gc.StatusCode);
            var cycle = JsonDocument.Parse(await gc.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();

            var states = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                var data = JsonDocument.Parse((await sse.ReadEventAsync(TimeSpan.FromSeconds(30))).Data).RootElement;
                Assert.Equal("gc", data.GetProperty("type").GetString());
                Assert.Equal(cycle, data.GetProperty("gcId").GetInt64());
                states.Add(data.GetProperty("state").GetString()!);
            }
            Assert.Equal(["running", "finished"], states);
        }
        finally
        {
            client.Dispose();
            await gateway.StopAsync();
            await gateway.DisposeAsync();
            await silo.StopAsync();
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
