using Xunit;

namespace Nscr.EndToEnd.Tests.Cluster;

/// <summary>One cluster for the whole collection: started once (it takes a while), always stopped at the end.</summary>
public sealed class LocalClusterFixture : IAsyncLifetime
{
    /// <summary>Short, so the GC test can count reminder ticks; a grace of an hour keeps every cycle from deleting
    /// what the other tests push.</summary>
    public static readonly TimeSpan GcInterval = TimeSpan.FromSeconds(4);

    private static readonly TimeSpan StopDeadline = TimeSpan.FromMinutes(2);

    /// <summary>A directory PostgreSQL's user can traverse (temp subdirectories are private to their creator).</summary>
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), $"nscr-e2e-cluster-{Guid.NewGuid():N}"[..30]);

    public LocalCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_stateDirectory);
        Cluster = new LocalCluster(_stateDirectory, new Dictionary<string, string>
        {
            ["NSCR_GC_INTERVAL"] = $"{GcInterval.TotalSeconds}s",
            ["NSCR_GC_GRACE"] = "1h",
        });
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await Cluster.UpAsync(deadline.Token);
        }
        catch (Exception exception)
        {
            var log = Cluster.Log;
            await DisposeAsync();
            throw new InvalidOperationException($"the local cluster did not start: {exception.Message}\n{log}", exception);
        }
    }

    public async Task DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(StopDeadline);
        try
        {
            await Cluster.DownAsync(deadline.Token);
        }
        finally
        {
            try
            {
                Directory.Delete(_stateDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort, like TempDirectory.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LocalClusterCollection : ICollectionFixture<LocalClusterFixture>
{
    public const string Name = "local cluster";
}
