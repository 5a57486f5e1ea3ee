using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Grains.Gc;
using Nscr.Oci;
using Nscr.Silo;
using Nscr.Silo.Sqlite;
using Nscr.Storage;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Nscr.Grains.Tests.Infrastructure;

/// <summary>
/// The real grains on one in-process silo with the real SQLite grain storage and filesystem blob store in a temporary
/// data directory, and a hand-moved clock. One per test class.
/// </summary>
public sealed class GrainCluster : IAsyncLifetime
{
    private InProcessTestCluster cluster = null!;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "nscr-grain-tests", Guid.NewGuid().ToString("N"));

    public TestClock Clock { get; } = new();

    public GcOptions Options { get; } = new() { Grace = TimeSpan.Zero, Interval = TimeSpan.FromHours(1) };

    public IGrainFactory Grains => cluster.Client;

    public IBlobStore Store => cluster.Silos[0].ServiceProvider.GetRequiredService<IBlobStore>();

    /// <summary>The silo's services (its grain storage, for tests that look at what was written).</summary>
    public IServiceProvider SiloServices => cluster.Silos[0].ServiceProvider;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDir);
        // A rare start (seen about once in 30 runs, on quiet and busy machines alike) never completes: the silo stays
        // in the membership's gossip while becoming active until the start times out; a fresh cluster on the same
        // data directory starts normally.
        for (var attempt = 1; ; attempt++)
        {
            cluster = Build();
            try
            {
                await cluster.DeployAsync();
                if (await TryConnectClientAsync(TimeSpan.FromSeconds(30))) return;
            }
            catch (OperationCanceledException) when (attempt < 3)
            {
                // The silo's start timed out (seen stuck in the membership's gossip while becoming active).
            }
            try
            {
                await cluster.DisposeAsync();
            }
            catch (Exception) when (attempt < 3)
            {
                // What is left of a start that did not complete: the next attempt is a new cluster anyway.
            }
            if (attempt == 3) throw new TimeoutException("the in-process silo did not accept a client in 3 starts of 30 s");
        }
    }

    private InProcessTestCluster Build()
    {
        var builder = new InProcessTestClusterBuilder(1);
        // Clusters of different test classes must not find each other's silos (one may be shutting down).
        builder.Options.ClusterId = $"grains-{Guid.NewGuid():N}";
        builder.Options.ServiceId = builder.Options.ClusterId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseNscrSqlite(DataDir);
            silo.AddNscrGarbageCollection(Options);
            silo.UseNscrGrainLifetimes();
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.AddFileSystemBlobStore(DataDir);
            silo.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        });
        // The client reads the gateway list when it starts: it starts once the silo says it is active.
        builder.Options.InitializeClientOnDeploy = false;
        return builder.Build();
    }

    private async Task<bool> TryConnectClientAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var membership = cluster.Silos[0].ServiceProvider.GetRequiredService<IClusterMembershipService>();
        while (!membership.CurrentSnapshot.Members.Values.Any(member => member.Status == SiloStatus.Active))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50);
        }
        while (true)
        {
            try
            {
                await cluster.InitializeClientAsync();
                return true;
            }
            catch (SiloUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SiloUnavailableException)
            {
                return false;
            }
        }
    }

    /// <summary>Stops the silo gracefully (activations deactivate) and starts a new cluster on the same data directory.</summary>
    public async Task RestartAsync()
    {
        await cluster.DisposeAsync();
        await InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public IBlobGrain Blob(Digest digest) => Grains.GetGrain<IBlobGrain>(digest.ToString());

    public IRepositoryGrain Repository(string name) => Grains.GetGrain<IRepositoryGrain>(name);

    public bool FileExists(Digest digest) => File.Exists(Store.TryGetLocalPath(digest));

    /// <summary>Stores random bytes as a committed blob linked to <paramref name="repository"/>, the way an upload does.</summary>
    public async Task<Digest> UploadAsync(string repository, int size = 64)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        return await UploadAsync(repository, bytes);
    }

    public async Task<Digest> UploadAsync(string repository, byte[] bytes)
    {
        var digest = Digest.Compute(bytes);
        var stagingId = Guid.NewGuid().ToString("N");
        await Store.WriteStagedAsync(stagingId, bytes, CancellationToken.None);
        await Blob(digest).CommitStagedAsync(stagingId, bytes.Length, repository);
        return digest;
    }

    /// <summary>Puts an image manifest over <paramref name="blobs"/> (its own bytes uploaded first, as the gateway does).</summary>
    public async Task<ManifestRecord> PutImageAsync(string repository, string? tag, IReadOnlyList<Digest> blobs, Digest? subject = null)
    {
        var record = await PrepareImageAsync(repository, blobs, subject);
        await Repository(repository).PutManifestAsync(record, tag);
        return record;
    }

    /// <summary>Uploads the bytes of an image manifest over <paramref name="blobs"/>; the caller puts it.</summary>
    public async Task<ManifestRecord> PrepareImageAsync(string repository, IReadOnlyList<Digest> blobs, Digest? subject = null)
    {
        var body = System.Text.Encoding.UTF8.GetBytes($"{{\"image\":\"{Guid.NewGuid()}\",\"blobs\":\"{string.Join(',', blobs)}\"}}");
        var digest = await UploadAsync(repository, body);
        return new ManifestRecord(digest, body.Length, MediaTypes.OciManifest, blobs, [], subject, null, null, default);
    }

    /// <summary>Puts an index over <paramref name="children"/>, which must be manifests of the repository.</summary>
    public async Task<ManifestRecord> PutIndexAsync(string repository, string? tag, IReadOnlyList<Digest> children)
    {
        var body = System.Text.Encoding.UTF8.GetBytes($"{{\"index\":\"{Guid.NewGuid()}\"}}");
        var digest = await UploadAsync(repository, body);
        var record = new ManifestRecord(digest, body.Length, MediaTypes.OciIndex, [], children, null, null, null, default);
        await Repository(repository).PutManifestAsync(record, tag);
        return record;
    }

    public static string NewRepository(string prefix) => $"{prefix}/{Guid.NewGuid().ToString("N")[..10]}";
}
