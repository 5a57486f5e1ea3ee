using Orleans.Concurrency;

namespace Nscr.Grains;

/// <summary>
/// Singleton (key 0) that runs garbage collection cycles, on its reminder and on demand. At most one cycle runs at a
/// time; asking for another while one runs answers with the running one.
/// </summary>
[Alias("nscr.IGarbageCollectorGrain")]
public interface IGarbageCollectorGrain : IGrainWithIntegerKey
{
    /// <summary>Starts a cycle unless one is running; returns the snapshot of the cycle that runs now.</summary>
    [Alias("Start")]
    Task<GcReport> StartAsync(bool dryRun, string trigger);

    /// <summary>
    /// Starts a dry run that applies <paramref name="rules"/> instead of the policy in force, saving nothing; null while
    /// another cycle runs (wait for it, then ask again). The rules must be valid (<see cref="RetentionRule.Problems"/>).
    /// </summary>
    [Alias("PreviewRetention")]
    Task<GcReport?> PreviewRetentionAsync(IReadOnlyList<RetentionRule> rules);

    /// <summary>The retention policy later cycles apply: the rules saved through the API, else the configured ones.</summary>
    [Alias("GetRetention"), AlwaysInterleave]
    Task<RetentionPolicy> GetRetentionAsync();

    /// <summary>
    /// Saves <paramref name="rules"/> in the grain's state: every later cycle, on any silo, applies them instead of the
    /// configured ones. Null goes back to the configuration. Answers the policy now in force.
    /// </summary>
    [Alias("SetRetention")]
    Task<RetentionPolicy> SetRetentionAsync(IReadOnlyList<RetentionRule>? rules);

    /// <summary>The running cycle (if any) and the recent ones, newest first.</summary>
    [Alias("Status"), AlwaysInterleave]
    Task<GcOverview> GetStatusAsync();

    /// <summary>
    /// Waits up to <paramref name="maxWait"/> for cycle <paramref name="id"/> to finish and returns its report (still
    /// <see cref="GcCycleState.Running"/> when it has not finished); null when the cycle is unknown. Call again to wait longer:
    /// a grain call must answer within the messaging timeout, a cycle may take longer.
    /// </summary>
    [Alias("Wait"), AlwaysInterleave]
    Task<GcReport?> WaitAsync(long id, TimeSpan maxWait);

    /// <summary>Records a deleted repository, so the next cycle removes its links from blobs that stay.</summary>
    [Alias("ForgetRepository")]
    Task ForgetRepositoryAsync(string repository);

    /// <summary>Registers (or updates) the reminder that starts a cycle every configured interval.</summary>
    [Alias("Schedule")]
    Task ScheduleAsync();
}

[GenerateSerializer]
[Alias("nscr.GcCycleState")]
public enum GcCycleState
{
    Running,
    Completed,
    /// <summary>The cycle stopped early on an error; what it did before stays done.</summary>
    Failed,
}

/// <summary>What <see cref="IGarbageCollectorGrain.GetStatusAsync"/> answers.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.GcOverview")]
public sealed record GcOverview([property: Id(0)] GcReport? Running, [property: Id(1)] IReadOnlyList<GcReport> History);

/// <summary>
/// One cycle, running or finished. In a dry run every count says what the cycle would have deleted. Bytes count every
/// file removed: blobs, orphan files and staged uploads.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("nscr.GcReport")]
public sealed record GcReport
{
    [Id(0)] public long Id { get; init; }
    [Id(1)] public bool DryRun { get; init; }
    /// <summary>"api", "reminder", or "retention" (a dry run of proposed retention rules).</summary>
    [Id(2)] public string Trigger { get; init; } = "";
    [Id(3)] public GcCycleState State { get; init; }
    /// <summary>T: the cycle's start.</summary>
    [Id(4)] public DateTimeOffset StartedAt { get; init; }
    [Id(5)] public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>T − grace: whatever was touched at or after this instant is kept.</summary>
    [Id(6)] public DateTimeOffset Cutoff { get; init; }
    [Id(7)] public int Repositories { get; init; }
    /// <summary>Distinct digests (blobs and manifests) reachable from the repositories.</summary>
    [Id(8)] public int Marked { get; init; }
    /// <summary>Stored blobs listed by the sweep.</summary>
    [Id(9)] public int ScannedBlobs { get; init; }
    [Id(10)] public int DeletedTags { get; init; }
    [Id(11)] public int DeletedManifests { get; init; }
    [Id(12)] public int DeletedBlobs { get; init; }
    /// <summary>Unmarked blobs kept because they were touched after the cutoff.</summary>
    [Id(13)] public int RefusedBlobs { get; init; }
    [Id(14)] public int DeletedOrphanFiles { get; init; }
    [Id(15)] public int ExpiredUploads { get; init; }
    [Id(16)] public int DroppedRepositories { get; init; }
    [Id(17)] public int PrunedLinks { get; init; }
    [Id(18)] public long BytesReclaimed { get; init; }
    [Id(19)] public IReadOnlyList<string> Errors { get; init; } = [];
    /// <summary>What was (or would be) deleted, each list capped; kept for recent cycles only, not in the persisted history.</summary>
    [Id(20)] public GcItems? Items { get; init; }

    public TimeSpan Duration(DateTimeOffset now) => (FinishedAt ?? now) - StartedAt;
}

/// <summary>Names of what a cycle deleted (or would): "repo:tag", "repo@digest", digests, upload ids, orphan file names.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.GcItems")]
public sealed record GcItems(
    [property: Id(0)] IReadOnlyList<string> Tags,
    [property: Id(1)] IReadOnlyList<string> Manifests,
    [property: Id(2)] IReadOnlyList<string> Blobs,
    [property: Id(3)] IReadOnlyList<string> Uploads,
    [property: Id(4)] IReadOnlyList<string> OrphanFiles);
