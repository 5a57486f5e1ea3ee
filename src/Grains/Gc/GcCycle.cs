using Microsoft.Extensions.Logging;
using Nscr.Metadata;
using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Grains.Gc;

/// <summary>
/// One garbage collection cycle. T is its start and T − grace its cutoff. Mark: every repository of the catalog or with
/// a stored state, in one turn of its own grain, applies retention, deletes the manifests nothing keeps and names the
/// digests its kept manifests need. Sweep: every stored blob nobody named is asked to delete itself, which its grain refuses when it
/// was touched at or after the cutoff (a push that referenced it after T touched it). Then upload sessions idle past
/// the timeout and staged files no session knows go. Nothing is locked: each decision is made inside the one grain
/// that serialises it. Runs on the GC grain's scheduler, so the tally needs no lock. The retention rules are an input
/// (the configured ones, those saved through the API, or the ones a dry run proposes), not read from the options.
/// </summary>
internal sealed partial class GcCycle(
    GcReport identity,
    IReadOnlyList<string> deletedRepositories,
    IReadOnlyList<RetentionRule> rules,
    IGrainFactory grains,
    IBlobStore store,
    BlobRows blobRows,
    GcOptions options,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Grain calls in flight at once: enough to hide their latency, few enough to leave room for requests.</summary>
    private const int Parallelism = 16;

    /// <summary>
    /// A staged file no session knows is a monolithic upload or a manifest body on its way, or a crash's leftover. The
    /// ones on their way are written continuously (Kestrel drops a stalled body within seconds), so one unchanged for
    /// this long is left over, whatever the grace.
    /// </summary>
    public static readonly TimeSpan SessionlessStagingAge = TimeSpan.FromMinutes(1);

    private readonly GcTally tally = new();
    private GcCycleState state = GcCycleState.Running;
    private DateTimeOffset? finishedAt;

    public GcReport Identity => identity;

    private bool DryRun => identity.DryRun;

    private DateTimeOffset Cutoff => identity.Cutoff;

    public static GcReport Begin(long id, bool dryRun, string trigger, DateTimeOffset now, TimeSpan grace) => new()
    {
        Id = id,
        DryRun = dryRun,
        Trigger = trigger,
        State = GcCycleState.Running,
        StartedAt = now,
        Cutoff = now - grace,
    };

    public GcReport Snapshot() => tally.ToReport(identity, state, finishedAt);

    /// <summary>Whether the cycle finished every step without an error (then its deleted-repository records are done with).</summary>
    public bool Clean => state == GcCycleState.Completed && tally.ErrorCount == 0;

    public async Task<GcReport> RunAsync()
    {
        GcLog.Started(logger, identity.Id, identity.Trigger, DryRun, Cutoff);
        try
        {
            var (marked, live, emptied) = await MarkAsync();
            // A marked blob's links to repositories that are gone would make it visible there if the name came back.
            var gone = deletedRepositories.Concat(emptied).Where(r => !live.Contains(r)).Distinct(StringComparer.Ordinal).ToArray();
            await SweepBlobsAsync(marked, gone);
            await SweepUploadsAsync();
            state = GcCycleState.Completed;
        }
        catch (Exception e)
        {
            GcLog.Failed(logger, e, identity.Id);
            tally.AddError($"cycle stopped: {e.Message}");
            state = GcCycleState.Failed;
        }
        finishedAt = time.GetUtcNow();
        var report = Snapshot();
        GcLog.Finished(logger, report.Id, report.State, (long)report.Duration(finishedAt.Value).TotalMilliseconds, report.Marked,
            report.DeletedManifests, report.DeletedBlobs, report.DeletedOrphanFiles, report.ExpiredUploads, report.BytesReclaimed, tally.ErrorCount);
        return report;
    }

    /// <summary>
    /// Any failure here stops the cycle before the sweep: a repository whose needs are unknown could lose its blobs.
    /// </summary>
    private async Task<(HashSet<Digest> Marked, HashSet<string> Live, List<string> Emptied)> MarkAsync()
    {
        // The catalog and the stored states, both: a repository whose catalog entry a failed write lost still has
        // tags, and its blobs must stay (an empty one listed by the catalog only is dropped from it here).
        var catalog = grains.GetGrain<ICatalogGrain>(0);
        var names = (await catalog.ListAllAsync()).Union(await catalog.ListStoredAsync(), StringComparer.Ordinal).ToArray();
        var marked = new HashSet<Digest>();
        var live = new HashSet<string>(StringComparer.Ordinal);
        var emptied = new List<string>();
        await ForEachAsync(names, async name =>
        {
            var request = new RepositoryCollectRequest(Cutoff, identity.StartedAt, DryRun, options.DeleteUntagged, GcOptions.RuleFor(rules, name));
            var result = await grains.GetGrain<IRepositoryGrain>(name).CollectAsync(request);
            tally.Repositories++;
            marked.UnionWith(result.Live);
            tally.DeletedTags += result.DeletedTags.Count;
            foreach (var tag in result.DeletedTags) GcTally.Add(tally.Tags, $"{name}:{tag}");
            tally.DeletedManifests += result.DeletedManifests.Count;
            foreach (var manifest in result.DeletedManifests) GcTally.Add(tally.Manifests, $"{name}@{manifest.Digest}");
            if (result.Empty)
            {
                tally.DroppedRepositories++;
                emptied.Add(name);
            }
            else
            {
                live.Add(name);
            }
        });
        tally.Marked = marked.Count;
        return (marked, live, emptied);
    }


    /// <summary>Runs <paramref name="body"/> for each item, a few at a time, on the calling (grain) scheduler.</summary>
    private static Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> body) =>
        Parallel.ForEachAsync(items, Options(), async (item, _) => await body(item));

    private static Task ForEachAsync<T>(IAsyncEnumerable<T> items, Func<T, Task> body) =>
        Parallel.ForEachAsync(items, Options(), async (item, _) => await body(item));

    private static ParallelOptions Options() => new() { MaxDegreeOfParallelism = Parallelism, TaskScheduler = TaskScheduler.Current };
}
