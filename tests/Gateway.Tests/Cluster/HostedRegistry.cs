using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Gateway.Hosting;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Cluster;

/// <summary>One registry host (embedded or a cluster node, as its settings say) on a loopback port, stopped on dispose.</summary>
public sealed class HostedRegistry : IAsyncDisposable
{
    private readonly WebApplication app;

    private HostedRegistry(WebApplication app, RegistryClient client)
    {
        this.app = app;
        Client = client;
    }

    public RegistryClient Client { get; }

    /// <param name="settings">Extra settings as <c>Nscr:</c> keys without the prefix, e.g. <c>Gc:Grace</c>.</param>
    public static async Task<HostedRegistry> StartAsync(string dataDir, IReadOnlyDictionary<string, string>? settings = null)
    {
        var args = new List<string> { "--port", "0", "--listen-address", "127.0.0.1", "--data-dir", dataDir };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) args.AddRange([$"--Nscr:{key}", value]);
        var app = RegistryHost.Build([.. args], builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HostedRegistry(app, new RegistryClient(new Uri(address)));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }
}
