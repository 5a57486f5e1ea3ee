using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Gateway.Api;

/// <summary>One repository of a <see cref="Census"/>: its summary and its bytes (all, and those no other repository uses).</summary>
public sealed record RepositoryUsage(string Name, RepositorySummary Summary, long SizeBytes, long UniqueBytes)
{
    public long SharedBytes => SizeBytes - UniqueBytes;
}

/// <summary>
/// Every repository with what it stands on, against one listing of the store: the figures of <c>/api/usage</c>,
/// <c>/api/status</c> and the repository lists (unique and shared bytes) come from here, so they add up the same way.
/// </summary>
public sealed class Census(BlobSnapshot snapshot, IReadOnlyList<RepositoryUsage> repositories, IReadOnlyDictionary<Digest, int> owners,
    IReadOnlyDictionary<Digest, long> sizes, IReadOnlySet<Digest> manifests)
{
    public BlobSnapshot Snapshot => snapshot;

    /// <summary>Repositories holding at least one manifest, in catalog (name) order.</summary>
    public IReadOnlyList<RepositoryUsage> Repositories => repositories;

    /// <summary>How many repositories stand on each referenced digest.</summary>
    public IReadOnlyDictionary<Digest, int> Owners => owners;

    /// <summary>The size of each referenced digest (0 when it is not stored).</summary>
    public IReadOnlyDictionary<Digest, long> Sizes => sizes;

    /// <summary>Digests some repository holds as a manifest.</summary>
    public IReadOnlySet<Digest> Manifests => manifests;

    public long ReferencedBytes => sizes.Values.Sum();

    /// <summary>Stored blobs no manifest of any repository references.</summary>
    public IEnumerable<KeyValuePair<Digest, long>> Unreferenced => snapshot.Sizes.Where(b => !owners.ContainsKey(b.Key));

    /// <summary>Stored manifest bodies (manifests are blobs too).</summary>
    public IEnumerable<KeyValuePair<Digest, long>> StoredManifests => snapshot.Sizes.Where(b => manifests.Contains(b.Key));

    public long Size(Digest digest) => sizes.GetValueOrDefault(digest);

    /// <summary>The bytes of <paramref name="digests"/> that only one repository uses (each digest once).</summary>
    public long UniqueBytes(IEnumerable<Digest> digests) => digests.Distinct().Where(d => owners.GetValueOrDefault(d) <= 1).Sum(Size);
}

/// <summary>
/// Takes a <see cref="Census"/>: one summary call per repository of the catalog, a few at a time. Callers that arrive
/// while a census is being taken share the next one, started when the running one ends: at most one runs at a time
/// (a web UI refreshing on every push, in several browsers, costs one census, not one each), and no caller gets
/// figures taken before it asked.
/// </summary>
public sealed class RegistryCensus(IGrainFactory grains, BlobInventory inventory)
{
    private const int Parallelism = 16;

    private readonly Lock gate = new();
    private Task<Census>? running;
    private Task<Census>? queued;
    private long taken;

    /// <summary>How many censuses this process has taken (for tests of the sharing).</summary>
    public long Taken => Interlocked.Read(ref taken);

    /// <param name="listingAge">
    /// How old the store listing may be (see <see cref="BlobInventory.GetAsync"/>); a caller that sets it gets a census
    /// of its own.
    /// </param>
    public Task<Census> TakeAsync(CancellationToken cancellationToken, TimeSpan? listingAge = null)
    {
        if (listingAge is not null) return ComputeAsync(listingAge, cancellationToken);
        lock (gate)
        {
            if (running is null) return (running = StartShared()).WaitAsync(cancellationToken);
            queued ??= AfterRunningAsync(running);
            return queued.WaitAsync(cancellationToken);
        }
    }

    private async Task<Census> AfterRunningAsync(Task<Census> previous)
    {
        // Always continues later, outside the caller's lock, so the caller has stored this task as queued before it is
        // cleared below; a failure of the previous census was its own callers' (this one is taken afresh).
        await ((Task)previous).ConfigureAwait(ConfigureAwaitOptions.ForceYielding | ConfigureAwaitOptions.SuppressThrowing);
        Task<Census> mine;
        lock (gate)
        {
            mine = StartShared();
            running = mine;
            queued = null;
        }
        return await mine;
    }

    /// <summary>Starts a census no single caller can cancel (others wait for it too); it ends by clearing itself.</summary>
    private Task<Census> StartShared()
    {
        var census = ComputeAsync(null, CancellationToken.None);
        _ = census.ContinueWith(done =>
        {
            lock (gate)
            {
                if (ReferenceEquals(running, done)) running = null;
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return census;
    }

    private async Task<Census> ComputeAsync(TimeSpan? listingAge, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref taken);
        var snapshot = await inventory.GetAsync(cancellationToken, listingAge);
        var names = await grains.GetGrain<ICatalogGrain>(0).ListAllAsync();
        var summaries = new RepositorySummary?[names.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, names.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, _) => summaries[i] = await grains.GetGrain<IRepositoryGrain>(names[i]).GetSummaryAsync());

        var owners = new Dictionary<Digest, int>();
        var manifests = new HashSet<Digest>();
        foreach (var summary in summaries.OfType<RepositorySummary>())
        {
            foreach (var digest in summary.Digests) owners[digest] = owners.GetValueOrDefault(digest) + 1;
            manifests.UnionWith(summary.ManifestDigests);
        }
        var sizes = new Dictionary<Digest, long>(owners.Count);
        foreach (var digest in owners.Keys) sizes[digest] = await inventory.SizeAsync(snapshot, digest, cancellationToken);

        var repositories = new List<RepositoryUsage>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            // Emptied between the catalog read and the summary.
            if (summaries[i] is not { } summary) continue;
            var size = summary.Digests.Sum(d => sizes[d]);
            var unique = summary.Digests.Where(d => owners[d] == 1).Sum(d => sizes[d]);
            repositories.Add(new RepositoryUsage(names[i], summary, size, unique));
        }
        return new Census(snapshot, repositories, owners, sizes, manifests);
    }
}
