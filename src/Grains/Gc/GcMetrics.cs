using System.Diagnostics.Metrics;

namespace Nscr.Grains.Gc;

/// <summary>
/// The garbage collector's instruments (meter "Nscr.Gc"), recorded once per finished cycle by the process that ran it.
/// Dry runs count as cycles but reclaim nothing.
/// </summary>
public static class GcMetrics
{
    public const string MeterName = "Nscr.Gc";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Cycles = Meter.CreateCounter<long>("nscr.gc.cycles", "{cycle}", "Garbage collection cycles finished, by state and dry run");
    private static readonly Counter<long> DeletedBlobs = Meter.CreateCounter<long>("nscr.gc.deleted.blobs", "{blob}", "Blobs deleted by garbage collection");
    private static readonly Counter<long> DeletedManifests = Meter.CreateCounter<long>("nscr.gc.deleted.manifests", "{manifest}", "Manifests deleted by garbage collection");
    private static readonly Counter<long> Reclaimed = Meter.CreateCounter<long>("nscr.gc.reclaimed", "By", "Bytes reclaimed by garbage collection");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram("nscr.gc.cycle.duration", "s", "Duration of garbage collection cycles",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600] });

    public static void Record(GcReport report)
    {
        var state = report.State.ToString().ToLowerInvariant();
        Cycles.Add(1, new KeyValuePair<string, object?>("state", state), new KeyValuePair<string, object?>("dry_run", report.DryRun ? "true" : "false"));
        if (report.FinishedAt is { } finished) Duration.Record((finished - report.StartedAt).TotalSeconds);
        if (report.DryRun) return;
        DeletedBlobs.Add(report.DeletedBlobs);
        DeletedManifests.Add(report.DeletedManifests);
        Reclaimed.Add(report.BytesReclaimed);
    }
}
