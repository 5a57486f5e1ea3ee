using System.Globalization;
using Nscr.Grains;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>/api/gc</c>: POST starts a cycle (<c>?dryRun=true</c> reports without deleting; <c>?wait=true</c> answers 200 with
/// the finished report, otherwise 202 with the running one); GET gives the running cycle and the recent ones;
/// <c>GET /api/gc/&lt;id&gt;</c> one cycle with its item lists (while it is among the last few).
/// </summary>
public sealed class GcEndpoint(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How long one wait call to the grain may take: well within Orleans' response timeout.</summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(10);

    private IGarbageCollectorGrain Collector => grains.GetGrain<IGarbageCollectorGrain>(0);

    public async Task StartAsync(HttpContext context)
    {
        var dryRun = ApiResponses.QueryFlag(context, "dryRun");
        var wait = ApiResponses.QueryFlag(context, "wait");
        // A cycle already running is answered instead of a new one: at most one at a time.
        var report = await Collector.StartAsync(dryRun, "api");
        context.Response.Headers.Location = $"/api/gc/{report.Id}";
        if (!wait)
        {
            await WriteAsync(context, StatusCodes.Status202Accepted, report);
            return;
        }
        report = await FinishedAsync(report, context.RequestAborted);
        await WriteAsync(context, StatusCodes.Status200OK, report);
    }

    /// <summary>Waits for the cycle of <paramref name="report"/> to finish, a slice at a time; its final report.</summary>
    public async Task<GcReport> FinishedAsync(GcReport report, CancellationToken cancellationToken)
    {
        while (report.State == GcCycleState.Running)
        {
            cancellationToken.ThrowIfCancellationRequested();
            report = await Collector.WaitAsync(report.Id, WaitSlice) ?? throw ApiException.NotFound($"cycle {report.Id} is no longer known");
        }
        return report;
    }

    public async Task StatusAsync(HttpContext context)
    {
        var overview = await Collector.GetStatusAsync();
        var now = time.GetUtcNow();
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WritePropertyName("running");
            if (overview.Running is { } running) GcReportJson.Write(json, running, now);
            else json.WriteNullValue();
            json.WriteStartArray("history");
            foreach (var report in overview.History) GcReportJson.Write(json, report, now);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    public async Task GetAsync(HttpContext context)
    {
        var text = context.Request.RouteValues["id"] as string;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw ApiException.InvalidParameter($"'{text}' is not a cycle id");
        }
        var report = await Collector.WaitAsync(id, TimeSpan.Zero) ?? throw ApiException.NotFound($"cycle {id} is unknown");
        await WriteAsync(context, StatusCodes.Status200OK, report);
    }

    private Task WriteAsync(HttpContext context, int status, GcReport report)
    {
        var now = time.GetUtcNow();
        return ApiResponses.WriteJsonAsync(context, status, json => GcReportJson.Write(json, report, now));
    }
}
