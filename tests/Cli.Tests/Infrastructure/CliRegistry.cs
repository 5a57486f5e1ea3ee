using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Gateway.Hosting;
using Xunit;

namespace Nscr.Cli.Tests.Infrastructure;

/// <summary>
/// The real registry, in-process on a free loopback port with its own data directory and a GC grace of 0, plus a private
/// config directory for the CLI; one per test class. Tests keep apart with unique repository names.
/// </summary>
public sealed class CliRegistry : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?> settings;
    private WebApplication? app;

    public CliRegistry()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>A registry with more configuration (e.g. Nscr:Auth:*).</summary>
    internal CliRegistry(IReadOnlyDictionary<string, string?> settings) => this.settings = settings;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "nscr-cli-tests", Guid.NewGuid().ToString("N"));

    public string DataDir => Path.Combine(Root, "data");

    public string ConfigHome => Path.Combine(Root, "config");

    public Uri Url { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public ImagePusher Pusher { get; private set; } = null!;

    /// <summary>The registry's services (its logger factory, to write entries the live log feed then holds).</summary>
    public IServiceProvider Services => app?.Services ?? throw new InvalidOperationException("the registry is not started");

    /// <summary>The environment a CLI run sees: the registry's URL and the private config directory.</summary>
    public Dictionary<string, string> Environment() => new()
    {
        ["NSCR_URL"] = Url.ToString(),
        ["XDG_CONFIG_HOME"] = ConfigHome,
    };

    public Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(Environment(), null, args);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDir);
        app = RegistryHost.Build(
            ["--port", "0", "--listen-address", "127.0.0.1", "--data-dir", DataDir],
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Configuration["Nscr:Gc:Grace"] = "0";
                foreach (var (key, value) in settings) builder.Configuration[key] = value;
            });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Http = new HttpClient { BaseAddress = Url };
        Pusher = new ImagePusher(Http);
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A handle still closing; the temp directory is cleaned eventually.
        }
    }
}
