using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Gateway.Hosting;

namespace Nscr.Gateway.Tests.Infrastructure;

/// <summary>
/// The real registry, started in-process on a free loopback port with its own data directory; one per test class.
/// Tests share it and keep apart by using unique repository names.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private readonly Action<WebApplicationBuilder>? configure;
    private WebApplication? app;

    public RegistryFixture()
    {
    }

    /// <summary>A registry with more settings (configuration, logging) applied by <paramref name="configure"/>.</summary>
    internal RegistryFixture(Action<WebApplicationBuilder> configure) => this.configure = configure;

    /// <summary>The running server's services.</summary>
    public IServiceProvider Services => app?.Services ?? throw new InvalidOperationException("the registry is not running");

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "nscr-gateway-tests", Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    public RegistryClient Client { get; private set; } = null!;

    /// <summary>Whether the upload session's staged bytes are on disk (the filesystem store keeps them in uploads/).</summary>
    public bool StagedUploadExists(string sessionId) => File.Exists(Path.Combine(DataDir, "uploads", sessionId));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDir);
        await StartAsync();
    }

    /// <summary>Stops the registry and starts a new one on the same data directory (a new port).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying handle; the temp directory is cleaned by the OS eventually.
        }
    }

    private async Task StartAsync()
    {
        app = RegistryHost.Build(
            ["--port", "0", "--listen-address", "127.0.0.1", "--data-dir", DataDir],
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                configure?.Invoke(builder);
            });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);
        Client = new RegistryClient(BaseAddress);
    }

    private async Task StopAsync()
    {
        Client?.Dispose();
        if (app is null) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
        app = null;
    }
}
