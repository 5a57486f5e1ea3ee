using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Gateway.Hosting;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api;

/// <summary>
/// A real registry on a loopback port with its own data directory and GC settings (grace 0 unless told otherwise), so
/// a test can count what a cycle does and look at every file left. Tests of one class share it and keep apart by
/// repository names; a test that needs the store to itself starts its own with <see cref="StartAsync"/>.
/// </summary>
public class GcRegistry : IAsyncLifetime, IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> settings;
    private WebApplication? app;

    public GcRegistry() : this(new Dictionary<string, string>())
    {
    }

    protected GcRegistry(IReadOnlyDictionary<string, string> settings, string? dataDir = null)
    {
        this.settings = settings;
        DataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "nscr-gc-tests", Guid.NewGuid().ToString("N"));
    }

    public string DataDir { get; }

    /// <summary>The co-hosted silo's grains, for tests that set up a state no request can make (a lost catalog entry).</summary>
    public IGrainFactory Grains => app?.Services.GetRequiredService<IGrainFactory>() ?? throw new InvalidOperationException("the registry is not running");

    public RegistryClient Client { get; private set; } = null!;

    public static async Task<GcRegistry> StartAsync(IReadOnlyDictionary<string, string>? settings = null, string? dataDir = null)
    {
        var registry = new GcRegistry(settings ?? new Dictionary<string, string>(), dataDir);
        await registry.InitializeAsync();
        return registry;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDir);
        var args = new List<string> { "--port", "0", "--listen-address", "127.0.0.1", "--data-dir", DataDir, "--Nscr:Gc:Grace", "0" };
        foreach (var (key, value) in settings) args.AddRange([$"--Nscr:{key}", value]);
        app = RegistryHost.Build([.. args], builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Client = new RegistryClient(new Uri(address));
    }

    /// <summary>Stops the registry and starts a new one on the same data directory (a new port).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await InitializeAsync();
    }

    private async Task StopAsync()
    {
        Client?.Dispose();
        if (app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
            app = null;
        }
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
        }
    }

    /// <summary>For <c>await using</c> a registry of one's own (<see cref="StartAsync"/>).</summary>
    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public string BlobPath(Nscr.Oci.Digest digest) => Path.Combine(DataDir, "blobs", digest.Algorithm, digest.Hex[..2], digest.Hex);

    public bool BlobFileExists(Nscr.Oci.Digest digest) => File.Exists(BlobPath(digest));

    /// <summary>Every file under blobs/ and uploads/ (empty fan-out directories do not count).</summary>
    public IReadOnlyList<string> StoredFiles() =>
        new[] { "blobs", "uploads" }
            .Select(d => Path.Combine(DataDir, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(DataDir, f))
            .ToArray();
}
