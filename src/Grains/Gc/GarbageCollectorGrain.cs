using Nscr.Metadata;
using Microsoft.Extensions.Logging;
using Nscr.Storage;

namespace Nscr.Grains.Gc;

/// <summary>
/// Runs cycles (see <see cref="GcCycle"/>) one at a time, in the background of this activation so status requests are
/// answered meanwhile, and keeps their history. The cycle's calls go one way only: GC → catalog, repositories, blobs,
/// upload sessions; none of those ever calls back.
/// </summary>
public sealed class GarbageCollectorGrain(
    [PersistentState("gc", StorageNames.Registry)] IPersistentState<GcState> state,
    IBlobStore store,
    BlobRows blobRows,
    GcOptions options,
    TimeProvider time,
    IEnumerable<IGcCycleObserver> observers,
    ILogger<GarbageCollectorGrain> logger) : Grain, IGarbageCollectorGrain, IRemindable
{
    public const string ReminderName = "gc";

    /// <summary>Finished cycles whose item lists are kept in memory (the persisted history has counts only).</summary>
    private const int DetailedReports = 5;

    private const int HistorySize = 20;

    private readonly SemaphoreSlim saving = new(1, 1);
    private readonly List<GcReport> detailed = [];
    private GcCycle? running;
    private Task? runningTask;

    public async Task<GcReport> StartAsync(bool dryRun, string trigger)
    {
        if (running is not null) return running.Snapshot();
        return await BeginAsync(dryRun, trigger, Retention().Rules);
    }

    public async Task<GcReport?> PreviewRetentionAsync(IReadOnlyList<RetentionRule> rules)
    {
        if (running is not null) return null;
        return await BeginAsync(dryRun: true, "retention", rules);
    }

    public Task<RetentionPolicy> GetRetentionAsync() => Task.FromResult(Retention());

    public async Task<RetentionPolicy> SetRetentionAsync(IReadOnlyList<RetentionRule>? rules)
    {
        var previous = state.State.Retention;
        state.State.Retention = rules is null ? null : new SavedRetention(rules.ToArray(), time.GetUtcNow());
        try
        {
            await SaveAsync(throwOnFailure: true);
        }
        catch
        {
            // Unsaved rules must not drive cycles of this activation only: the caller sees the failure.
            state.State.Retention = previous;
            throw;
        }
        GcLog.RetentionChanged(logger, Retention().Source, rules?.Count ?? options.Retention.Count);
        return Retention();
    }

    private RetentionPolicy Retention() => state.State.Retention is { } saved
        ? new RetentionPolicy(RetentionPolicy.FromApi, saved.Rules, saved.UpdatedAt)
        : new RetentionPolicy(RetentionPolicy.FromConfiguration, options.Retention, null);

    private async Task<GcReport> BeginAsync(bool dryRun, string trigger, IReadOnlyList<RetentionRule> rules)
    {
        state.State.LastId++;
        var identity = GcCycle.Begin(state.State.LastId, dryRun, trigger, time.GetUtcNow(), options.Grace);
        var deleted = state.State.DeletedRepositories.Select(d => d.Name).ToArray();
        var cycle = new GcCycle(identity, deleted, rules, GrainFactory, store, blobRows, options, time, logger);
        running = cycle;
        // A long cycle must not end with an idle activation being collected.
        DelayDeactivation(TimeSpan.FromHours(6));
        // Announced before it can run: a small cycle may finish during the save below.
        Announce(cycle.Snapshot(), started: true);
        runningTask = RunAsync(cycle);
        await SaveAsync();
        return cycle.Snapshot();
    }

    public Task<GcOverview> GetStatusAsync() =>
        Task.FromResult(new GcOverview(running?.Snapshot(), state.State.History.ToArray()));

    public async Task<GcReport?> WaitAsync(long id, TimeSpan maxWait)
    {
        if (running is { } cycle && cycle.Identity.Id == id && runningTask is { } task)
        {
            await Task.WhenAny(task, Task.Delay(maxWait));
            if (ReferenceEquals(running, cycle)) return cycle.Snapshot();
        }
        return detailed.FirstOrDefault(r => r.Id == id) ?? state.State.History.FirstOrDefault(r => r.Id == id);
    }

    public async Task ForgetRepositoryAsync(string repository)
    {
        state.State.DeletedRepositories.RemoveAll(d => d.Name == repository);
        state.State.DeletedRepositories.Add(new DeletedRepository(repository, time.GetUtcNow()));
        await SaveAsync();
    }

    /// <summary>
    /// Every silo asks for the schedule when it starts. Registering again would move the next tick an interval past
    /// that start, so in a cluster whose silos restart more often than the interval no scheduled cycle would ever run:
    /// keep a reminder that already has the configured period.
    /// </summary>
    public async Task ScheduleAsync()
    {
        var table = ServiceProvider.GetService(typeof(IReminderTable)) as IReminderTable;
        if (table is not null && await table.ReadRow(this.GetGrainId(), ReminderName) is { } existing && existing.Period == options.Interval)
        {
            return;
        }
        await this.RegisterOrUpdateReminder(ReminderName, options.Interval, options.Interval);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ReminderName ? StartAsync(dryRun: false, "reminder") : Task.CompletedTask;

    private async Task RunAsync(GcCycle cycle)
    {
        // Let StartAsync answer first; the cycle then runs in this activation's background.
        await Task.Yield();
        var report = await cycle.RunAsync();
        detailed.Insert(0, report);
        if (detailed.Count > DetailedReports) detailed.RemoveAt(detailed.Count - 1);
        state.State.History.Insert(0, report with { Items = null });
        if (state.State.History.Count > HistorySize) state.State.History.RemoveRange(HistorySize, state.State.History.Count - HistorySize);
        if (!report.DryRun && cycle.Clean)
        {
            state.State.DeletedRepositories.RemoveAll(d => d.DeletedAt < report.StartedAt);
        }
        running = null;
        runningTask = null;
        await SaveAsync();
        GcMetrics.Record(report);
        Announce(report, started: false);
    }

    private void Announce(GcReport report, bool started)
    {
        foreach (var observer in observers)
        {
            try
            {
                if (started) observer.CycleStarted(report with { Items = null });
                else observer.CycleFinished(report with { Items = null });
            }
            catch (Exception e)
            {
                GcLog.ObserverFailed(logger, e, observer.GetType().Name);
            }
        }
    }

    /// <summary>The background cycle and requests interleave at awaits: writes of the state go one at a time.</summary>
    private async Task SaveAsync(bool throwOnFailure = false)
    {
        await saving.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e) when (!throwOnFailure)
        {
            GcLog.SaveFailed(logger, e);
        }
        finally
        {
            saving.Release();
        }
    }
}
