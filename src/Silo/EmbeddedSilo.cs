using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Nscr.Silo.Sqlite;

namespace Nscr.Silo;

/// <summary>The silo co-hosted by a gateway in embedded mode: one node, localhost clustering, SQLite state.</summary>
public static class EmbeddedSilo
{
    public static ISiloBuilder UseNscrEmbedded(this ISiloBuilder silo, string dataDirectory, int siloPort)
    {
        // The co-hosted client talks to the silo in-process: no gateway listener. The silo port must still be
        // bound; 0 picks a free one so several registries can share a machine (tests, benchmarks).
        var port = siloPort != 0 ? siloPort : FreeLoopbackPort();
        silo.UseLocalhostClustering(siloPort: port, gatewayPort: 0, serviceId: "nscr", clusterId: "nscr-embedded");
        silo.UseNscrSqlite(dataDirectory);
        silo.UseNscrGrainLifetimes();
        silo.Services.AddSingleton(TimeProvider.System);
        return silo;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
