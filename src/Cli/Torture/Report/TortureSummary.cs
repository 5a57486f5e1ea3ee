using Nscr.Cli.Torture.Gc;

namespace Nscr.Cli.Torture.Report;

/// <summary>The outcome of a run, printed as text or JSON (<c>--json</c>).</summary>
public sealed record TortureSummary(
    string Url,
    int Seed,
    int Workers,
    double DurationSeconds,
    double ElapsedSeconds,
    bool GcEnabled,
    bool Interrupted,
    long TotalOperations,
    SortedDictionary<string, long> Operations,
    long Requests,
    long TotalRetries,
    SortedDictionary<string, long> Retries,
    int MaxPushAttempts,
    long BytesPushed,
    long BytesPulled,
    GcTotals Gc,
    CleanupSummary? Cleanup,
    int FailureCount,
    IReadOnlyList<Failure> Failures)
{
    /// <summary>No failure, not interrupted, and (with GC) the cleanup ran to its end.</summary>
    public bool Passed => FailureCount == 0 && !Interrupted && (!GcEnabled || Cleanup?.FinalCycle is not null);

    public static TortureSummary From(TortureSettings settings, TortureStats stats, CleanupSummary? cleanup, bool interrupted) => new(
        settings.Url.ToString(),
        settings.Seed,
        settings.Workers,
        settings.Duration.TotalSeconds,
        Math.Round(stats.Elapsed.TotalSeconds, 1),
        settings.RunGc,
        interrupted,
        stats.TotalOperations,
        stats.Operations,
        stats.Requests,
        stats.TotalRetries,
        stats.Retries,
        stats.MaxPushAttempts,
        stats.BytesPushed,
        stats.BytesPulled,
        stats.Gc,
        cleanup,
        stats.FailureCount,
        stats.Failures);
}
