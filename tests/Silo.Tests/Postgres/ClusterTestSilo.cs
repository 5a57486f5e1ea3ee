using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nscr.Silo.Configuration;
using Orleans.Configuration;

namespace Nscr.Silo.Tests.Postgres;

/// <summary>A real cluster silo (or a pure Orleans client) on PostgreSQL, on free loopback ports.</summary>
public sealed class ClusterTestSilo : IAsyncDisposable
{
    private readonly IHost host;

    private ClusterTestSilo(IHost host)
    {
        this.host = host;
    }

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => host.Services;

    public static NscrClusterOptions Options(string connectionString, string clusterId) => new()
    {
        Postgres = connectionString,
        ClusterId = clusterId,
        ServiceId = clusterId,
        SiloPort = FreePort(),
        GatewayPort = FreePort(),
        Dashboard = false,
    };

    public static async Task<ClusterTestSilo> StartSiloAsync(NscrClusterOptions options)
    {
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .UseOrleans(silo => silo.UseNscrCluster(options)
                .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1)))
            .Build();
        await host.StartAsync();
        return new ClusterTestSilo(host);
    }

    public static async Task<ClusterTestSilo> StartClientAsync(NscrClusterOptions options)
    {
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .UseOrleansClient(client => client.UseNscrCluster(options))
            .Build();
        await host.StartAsync();
        return new ClusterTestSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
