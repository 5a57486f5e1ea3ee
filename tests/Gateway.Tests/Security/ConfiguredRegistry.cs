using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Gateway.Hosting;

namespace Nscr.Gateway.Tests.Security;

/// <summary>A real registry on a free loopback port with its own data directory and extra settings
/// (<c>Nscr:Limits:…</c>, <c>Nscr:Tls:…</c>): for tests whose settings differ from <see cref="Infrastructure.RegistryFixture"/>'s.</summary>
public sealed class ConfiguredRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ConfiguredRegistry(WebApplication app, string dataDir, Uri baseAddress)
    {
        _app = app;
        DataDir = dataDir;
        BaseAddress = baseAddress;
    }

    public string DataDir { get; }

    public Uri BaseAddress { get; }

    /// <param name="map">Maps extra endpoints before the start (e.g. a stand-in for an authenticating endpoint).</param>
    public static async Task<ConfiguredRegistry> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<WebApplication>? map = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "nscr-gateway-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var app = RegistryHost.Build(
            ["--port", "0", "--listen-address", "127.0.0.1", "--data-dir", dataDir],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
            });
        map?.Invoke(app);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ConfiguredRegistry(app, dataDir, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A handle still closing; the temp directory is cleaned eventually.
        }
    }
}
