using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nscr.Grains.Gc;
using Nscr.Oci;
using Nscr.Silo;
using Nscr.Silo.Postgres;
using Nscr.Silo.Tests.Postgres;
using Nscr.Storage;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Nscr.Grains.Tests.Infrastructure;

/// <summary>
/// The real grains on two in-process silos of one cluster, as in cluster mode: grain state and reminders in a private
/// PostgreSQL database and one filesystem blob store directory shared by both silos. The clock is the system's:
/// membership compares real times, so a hand-moved clock (TestClock) would make the silos suspect each other. Each silo is
/// also a "gateway": its own grain factory and blob store, the way a node's gateway calls the cluster.
/// </summary>
public sealed class MultiSiloCluster : IAsyncLifetime
{
    private PostgresServer postgres = null!;
    private InProcessTestCluster cluster = null!;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "nscr-grain-tests", Guid.NewGuid().ToString("N"));

    public GcOptions Options { get; } = new() { Grace = TimeSpan.Zero, Interval = TimeSpan.FromHours(1) };

    /// <summary>The two silos, each seen as a gateway co-hosted with it.</summary>
    public IReadOnlyList<SiloGateway> Gateways { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDir);
        postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("grains");
        await PostgresDatabase.MigrateAsync(connectionString);

        var builder = new InProcessTestClusterBuilder(2);
        builder.Options.ClusterId = $"grains-{Guid.NewGuid():N}";
        builder.Options.ServiceId = builder.Options.ClusterId;
        builder.ConfigureSilo((_, silo) =>
        {
            // The grain state and reminders of a cluster silo; membership stays the test host's own.
            silo.UseNscrPostgresState(connectionString);
            silo.AddNscrGarbageCollection(Options);
            silo.UseNscrGrainLifetimes();
            silo.Services.AddFileSystemBlobStore(DataDir);
            silo.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        });
        builder.Options.InitializeClientOnDeploy = false;
        cluster = builder.Build();
        await cluster.DeployAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await cluster.InitializeClientAsync();
                break;
            }
            catch (SiloUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        Gateways = cluster.Silos.Select(silo => new SiloGateway(
            silo.SiloAddress,
            silo.ServiceProvider.GetRequiredService<IGrainFactory>(),
            silo.ServiceProvider.GetRequiredService<IBlobStore>())).ToList();
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        await postgres.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public IGrainFactory Client => cluster.Client;

    /// <summary>The silo hosting <paramref name="grain"/>'s activation (activating it first with <paramref name="activate"/>).</summary>
    public async Task<SiloAddress> LocationAsync(IAddressable grain)
    {
        var location = await Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        return location ?? throw new InvalidOperationException($"{grain} has no activation");
    }

    /// <summary>Moves <paramref name="grain"/>'s activation to <paramref name="silo"/> unless it is there already.</summary>
    public async Task PlaceAsync(IAddressable grain, SiloAddress silo)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!silo.Equals(await LocationAsync(grain)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{grain} did not move to {silo}");
            await cluster.MigrateAsync(grain, silo);
        }
    }

    public bool FileExists(Digest digest) => File.Exists(Gateways[0].Store.TryGetLocalPath(digest));

    public static string NewRepository(string prefix) => $"{prefix}/{Guid.NewGuid().ToString("N")[..10]}";
}

/// <summary>One silo's view of the cluster: what a gateway co-hosted with that silo calls.</summary>
public sealed record SiloGateway(SiloAddress Silo, IGrainFactory Grains, IBlobStore Store)
{
    public IBlobGrain Blob(Digest digest) => Grains.GetGrain<IBlobGrain>(digest.ToString());

    public IRepositoryGrain Repository(string name) => Grains.GetGrain<IRepositoryGrain>(name);

    public IUploadSessionGrain Session(string id) => Grains.GetGrain<IUploadSessionGrain>(id);

    /// <summary>Stores <paramref name="bytes"/> as a committed blob linked to <paramref name="repository"/>, the way a monolithic upload does.</summary>
    public async Task<(Digest Digest, BlobInfo Info)> UploadAsync(string repository, byte[] bytes)
    {
        var digest = Digest.Compute(bytes);
        var stagingId = Guid.NewGuid().ToString("N");
        await Store.WriteStagedAsync(stagingId, bytes, CancellationToken.None);
        return (digest, await Blob(digest).CommitStagedAsync(stagingId, bytes.Length, repository));
    }
}
