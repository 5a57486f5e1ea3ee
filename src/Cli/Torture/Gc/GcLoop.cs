using System.Text.Json;
using Nscr.Cli.Torture.Http;
using Nscr.Cli.Torture.Report;

namespace Nscr.Cli.Torture.Gc;

/// <summary>Runs GC cycles back to back (<c>POST /api/gc?wait=true</c>, now and then a dry run) until told to
/// stop; a cycle in progress is always finished. A POST while a cycle runs answers that cycle (one at a time). With the server's grace at 0 every unreferenced blob is fair game.</summary>
public sealed class GcLoop(AdminClient admin, TortureStats stats, GcLedger ledger, Random random)
{
    private const string Where = "gc";

    public async Task RunAsync(CancellationToken stop, CancellationToken abort)
    {
        try
        {
            await CheckStatusEndpointsAsync(abort);
            while (!stop.IsCancellationRequested)
            {
                var dryRun = random.Next(10) == 0;
                var report = await admin.RunGcAsync(dryRun, abort);
                Record(report);
                // Now and then a short pause, so cycles start at varying points of the workers' pushes.
                if (random.Next(4) == 0) await PauseAsync(TimeSpan.FromMilliseconds(random.Next(200)), stop);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
        }
        catch (AdminApiMissingException e)
        {
            stats.Fail(Where, FailureKinds.Gc, e.Message);
        }
        catch (RegistryResponseException e)
        {
            stats.Fail(Where, e.IsServerError ? FailureKinds.ServerError : FailureKinds.Gc, e.Message);
        }
        catch (RegistryTransportException e)
        {
            stats.Fail(Where, FailureKinds.NoAnswer, e.Message);
        }
        catch (JsonException e)
        {
            stats.Fail(Where, FailureKinds.Gc, $"the GC answer is not the JSON expected: {e.Message}");
        }
    }

    /// <summary>Records a cycle's figures; a cycle that failed or lists errors is a failure.</summary>
    public void Record(GcReport report)
    {
        stats.AddGcCycle(report);
        ledger.Record(report);
        stats.Count(report.DryRun ? "gc.cycle.dry-run" : "gc.cycle");
        if (!report.Completed || report.Errors.Count > 0)
        {
            stats.Fail(Where, FailureKinds.Gc, $"GC cycle {report.Id} ended {report.State} with {report.Errors.Count} error(s): {string.Join(" | ", report.Errors)}");
        }
    }

    /// <summary>Once per run: a cycle started without waiting (202) and the status with history (200, a JSON object).</summary>
    private async Task CheckStatusEndpointsAsync(CancellationToken abort)
    {
        await admin.StartGcAsync(abort);
        stats.Count("gc.start");
        var status = await admin.GetGcAsync(abort);
        using var document = JsonDocument.Parse(status);
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("history", out _))
        {
            stats.Fail(Where, FailureKinds.Gc, $"GET /api/gc has no history: {Shorten(status)}");
        }
        stats.Count("gc.status");
    }

    private static async Task PauseAsync(TimeSpan pause, CancellationToken stop)
    {
        try
        {
            await Task.Delay(pause, stop);
        }
        catch (OperationCanceledException)
        {
            // The run is ending: the loop condition sees it.
        }
    }

    private static string Shorten(string text) => text.Length > 500 ? text[..500] + "…" : text;
}
