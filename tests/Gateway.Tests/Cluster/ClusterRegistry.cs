using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Gateway.Hosting;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Silo.Tests.Postgres;

namespace Nscr.Gateway.Tests.Cluster;

/// <summary>
/// A cluster of real registry processes' hosts in this test process: two nodes (gateways co-hosting a silo) and one
/// pure gateway (an Orleans client), on one private PostgreSQL database and one shared blob directory.
/// </summary>
public sealed class ClusterRegistry : IAsyncLifetime
{
    private readonly List<WebApplication> apps = [];
    private PostgresServer? server;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "nscr-cluster-tests", Guid.NewGuid().ToString("N"));

    public string ConnectionString { get; private set; } = "";

    /// <summary>The services of each gateway, in the order of <see cref="Gateways"/>.</summary>
    public IReadOnlyList<IServiceProvider> Services => apps.Select(a => a.Services).ToList();

    /// <summary>Node, node, pure gateway.</summary>
    public IReadOnlyList<RegistryClient> Gateways { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDir);
        server = await PostgresServer.StartAsync();
        ConnectionString = await server.CreateDatabaseAsync("gateway");
        var clients = new List<RegistryClient>();
        foreach (var role in new[] { "node", "node", "gateway" })
        {
            clients.Add(await StartAsync(role));
        }
        Gateways = clients;
    }

    private async Task<RegistryClient> StartAsync(string role)
    {
        var (app, client) = await StartAsync(ConnectionString, DataDir, role);
        apps.Add(app);
        return client;
    }

    /// <summary>Starts one registry host of a cluster (a node or a pure gateway) on a free loopback port.</summary>
    public static async Task<(WebApplication App, RegistryClient Client)> StartAsync(string connectionString, string dataDir, string role)
    {
        var app = RegistryHost.Build(
            ["--port", "0", "--listen-address", "127.0.0.1", "--data-dir", dataDir],
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Nscr:Postgres"] = connectionString,
                    ["Nscr:Role"] = role,
                    ["Nscr:ClusterId"] = "gateway-tests",
                    ["Nscr:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Nscr:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
            });
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await app.StartAsync(timeout.Token);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new RegistryClient(new Uri(address)));
    }

    public async Task DisposeAsync()
    {
        foreach (var client in Gateways) client.Dispose();
        // The pure gateway first, then the silos.
        foreach (var app in Enumerable.Reverse(apps))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
        if (server is not null) await server.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
