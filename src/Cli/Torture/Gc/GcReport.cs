using System.Text.Json;

namespace Nscr.Cli.Torture.Gc;

/// <summary>The figures the torture reads from a GC cycle's JSON report (<c>POST /api/gc?wait=true</c>).
/// <paramref name="Raw"/> keeps the whole report for the summary.</summary>
public sealed record GcReport(long DeletedBlobs, long DeletedManifests, long BytesReclaimed, long Errors, string Raw)
{
    /// <summary>Reads the counts by name, case-insensitively, from the top level or one nested object
    /// (e.g. <c>{"report":{…}}</c>); an <c>errors</c> array counts its elements.</summary>
    public static GcReport Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("the GC report is not a JSON object");
        return new GcReport(
            Find(root, "deletedBlobs", "blobsDeleted"),
            Find(root, "deletedManifests", "manifestsDeleted"),
            Find(root, "bytesReclaimed", "reclaimedBytes", "deletedBytes"),
            Find(root, "errors", "errorCount"),
            json);
    }

    private static long Find(JsonElement element, params string[] names)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (names.Any(n => string.Equals(n, property.Name, StringComparison.OrdinalIgnoreCase)))
            {
                return property.Value.ValueKind switch
                {
                    JsonValueKind.Number => property.Value.GetInt64(),
                    JsonValueKind.Array => property.Value.GetArrayLength(),
                    _ => 0,
                };
            }
        }
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                var nested = Find(property.Value, names);
                if (nested != 0) return nested;
            }
        }
        return 0;
    }
}

/// <summary>Sums over the cycles of a run (dry runs counted apart: they delete nothing).</summary>
public sealed record GcTotals(long Cycles = 0, long DryRuns = 0, long DeletedBlobs = 0, long DeletedManifests = 0, long BytesReclaimed = 0, long Errors = 0)
{
    public GcTotals Add(GcReport report, bool dryRun) => dryRun
        ? this with { DryRuns = DryRuns + 1, Errors = Errors + report.Errors }
        : this with
        {
            Cycles = Cycles + 1,
            DeletedBlobs = DeletedBlobs + report.DeletedBlobs,
            DeletedManifests = DeletedManifests + report.DeletedManifests,
            BytesReclaimed = BytesReclaimed + report.BytesReclaimed,
            Errors = Errors + report.Errors,
        };
}
