using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nscr.Cli.CommandLine;

namespace Nscr.Cli.Torture.Report;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(TortureSummary))]
internal sealed partial class SummaryJsonContext : JsonSerializerContext;

public static class SummaryWriter
{
    public static void WriteJson(TortureSummary summary, TextWriter output) =>
        output.WriteLine(JsonSerializer.Serialize(summary, SummaryJsonContext.Default.TortureSummary));

    public static TortureSummary? ReadJson(string json) => JsonSerializer.Deserialize(json, SummaryJsonContext.Default.TortureSummary);

    public static void WriteText(TortureSummary summary, TextWriter output)
    {
        var elapsed = TimeSpan.FromSeconds(summary.ElapsedSeconds);
        output.WriteLine($"nscr torture against {summary.Url}: {summary.Workers} workers, seed {summary.Seed}");
        output.WriteLine($"duration     {Durations.Format(TimeSpan.FromSeconds(summary.DurationSeconds))} of work, {Durations.Format(elapsed)} in all{(summary.Interrupted ? " (interrupted)" : "")}");
        output.WriteLine($"operations   {N(summary.TotalOperations)} ({N(summary.TotalOperations / Math.Max(1, summary.ElapsedSeconds))}/s), {N(summary.Requests)} HTTP requests");
        foreach (var (name, count) in summary.Operations) output.WriteLine($"  {name,-24} {N(count),10}");
        output.WriteLine($"bytes        {Bytes(summary.BytesPushed)} pushed, {Bytes(summary.BytesPulled)} pulled and verified");
        output.WriteLine($"retries      {N(summary.TotalRetries)} (legal races with GC, recovered; the worst push took {summary.MaxPushAttempts} attempts)");
        foreach (var (reason, count) in summary.Retries) output.WriteLine($"  {reason,-40} {N(count),6}");
        if (summary.GcEnabled)
        {
            var gc = summary.Gc;
            output.WriteLine($"gc           {N(gc.Cycles)} cycles + {N(gc.DryRuns)} dry runs: {N(gc.DeletedBlobs)} blobs and {N(gc.DeletedManifests)} manifests deleted, {Bytes(gc.BytesReclaimed)} reclaimed, {N(gc.Errors)} errors");
            if (summary.Cleanup is { } cleanup)
            {
                var final = cleanup.FinalCycle is { } report
                    ? $"final cycle deleted {N(report.DeletedBlobs)} blobs and {N(report.DeletedManifests)} manifests, {Bytes(report.BytesReclaimed)}"
                    : "no final cycle";
                output.WriteLine($"cleanup      {cleanup.RepositoriesDeleted} repositories deleted, {final}");
                output.WriteLine(cleanup.DataDir is { } dir
                    ? $"data dir     blobs/ {dir.BlobFiles} files, uploads/ {dir.UploadFiles} files{(dir.IsEmpty ? ": every byte back" : "")}"
                    : $"data dir     not checked ({(cleanup.FinalCycle is null ? "the cleanup did not finish" : "no --data-dir")})");
            }
        }
        else
        {
            output.WriteLine("gc           not run (--no-gc)");
        }
        output.WriteLine($"failures     {summary.FailureCount}");
        foreach (var failure in summary.Failures) output.WriteLine($"  [{failure.AtSeconds,7:F1}s] {failure.Where} {failure.Kind}: {failure.Message}");
        if (summary.FailureCount > summary.Failures.Count) output.WriteLine($"  … and {summary.FailureCount - summary.Failures.Count} more");
        output.WriteLine(summary.Interrupted ? "INTERRUPTED" : summary.Passed ? "PASSED" : "FAILED");
    }

    private static string N(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.00} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };
}
