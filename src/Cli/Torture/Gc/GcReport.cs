using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nscr.Cli.Torture.Gc;

/// <summary>What the torture reads from a GC cycle's JSON report (the answer of <c>POST /api/gc?wait=true</c>, an
/// element of <c>GET /api/gc</c>): camelCase fields, <c>errors</c> an array of messages. Missing fields read as 0.</summary>
public sealed record GcReport(
    long Id,
    bool DryRun,
    string State,
    long DeletedBlobs,
    long DeletedManifests,
    long BytesReclaimed,
    IReadOnlyList<string> Errors)
{
    /// <summary>When the cycle started and its cutoff (start − grace); null when the report does not say.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? Cutoff { get; init; }

    /// <summary>The digests of the blobs the cycle deleted (the registry lists up to a cap), for forensics.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> DeletedBlobItems { get; init; } = [];

    /// <summary>The manifests the cycle deleted as <c>repository@digest</c>, for forensics.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> DeletedManifestItems { get; init; } = [];

    private const int KeptErrors = 10;

    public bool Completed => State == "completed";

    public static GcReport Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return From(document.RootElement);
    }

    public static GcReport From(JsonElement report)
    {
        if (report.ValueKind != JsonValueKind.Object) throw new JsonException("a GC report is not a JSON object");
        var errors = report.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Take(KeptErrors).Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList()
            : [];
        return new GcReport(
            Number(report, "id"),
            report.TryGetProperty("dryRun", out var dryRun) && dryRun.ValueKind == JsonValueKind.True,
            report.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String ? state.GetString()! : "unknown",
            Number(report, "deletedBlobs"),
            Number(report, "deletedManifests"),
            Number(report, "bytesReclaimed"),
            errors)
        {
            StartedAt = Time(report, "startedAt"),
            Cutoff = Time(report, "cutoff"),
            DeletedBlobItems = Items(report, "blobs"),
            DeletedManifestItems = Items(report, "manifests"),
        };
    }

    /// <summary>The newest cycle id <c>GET /api/gc</c> knows, running or finished (0 when none).</summary>
    public static long LatestId(string status)
    {
        using var document = JsonDocument.Parse(status);
        var root = document.RootElement;
        var latest = 0L;
        if (root.TryGetProperty("running", out var running) && running.ValueKind == JsonValueKind.Object) latest = Number(running, "id");
        if (root.TryGetProperty("history", out var history) && history.ValueKind == JsonValueKind.Array)
        {
            foreach (var report in history.EnumerateArray()) latest = Math.Max(latest, Number(report, "id"));
        }
        return latest;
    }

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time)
            ? time
            : null;

    private static IReadOnlyList<string> Items(JsonElement report, string name) =>
        report.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object
            && items.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
            : [];

    private static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
}

/// <summary>Sums over the cycles of a run (dry runs counted apart: they delete nothing).</summary>
public sealed record GcTotals(long Cycles = 0, long DryRuns = 0, long DeletedBlobs = 0, long DeletedManifests = 0, long BytesReclaimed = 0, long Errors = 0)
{
    public GcTotals Add(GcReport report) => report.DryRun
        ? this with { DryRuns = DryRuns + 1, Errors = Errors + report.Errors.Count }
        : this with
        {
            Cycles = Cycles + 1,
            DeletedBlobs = DeletedBlobs + report.DeletedBlobs,
            DeletedManifests = DeletedManifests + report.DeletedManifests,
            BytesReclaimed = BytesReclaimed + report.BytesReclaimed,
            Errors = Errors + report.Errors.Count,
        };
}
