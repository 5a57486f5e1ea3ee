using System.Text.Json;
using Nscr.Grains;

namespace Nscr.Gateway.Api;

/// <summary>The JSON of a GC cycle report (camelCase; times in ISO 8601 UTC; durations in milliseconds).</summary>
public static class GcReportJson
{
    public static void Write(Utf8JsonWriter json, GcReport report, DateTimeOffset now)
    {
        json.WriteStartObject();
        WriteProperties(json, report, now);
        json.WriteEndObject();
    }

    /// <summary>The report's properties into an object being written (the live events feed renames two of them).</summary>
    public static void WriteProperties(Utf8JsonWriter json, GcReport report, DateTimeOffset now, string idName = "id", string stateName = "state")
    {
        json.WriteNumber(idName, report.Id);
        json.WriteBoolean("dryRun", report.DryRun);
        json.WriteString("trigger", report.Trigger);
        json.WriteString(stateName, report.State switch
        {
            GcCycleState.Running => "running",
            GcCycleState.Completed => "completed",
            _ => "failed",
        });
        json.WriteString("startedAt", report.StartedAt.UtcDateTime);
        if (report.FinishedAt is { } finished) json.WriteString("finishedAt", finished.UtcDateTime);
        else json.WriteNull("finishedAt");
        json.WriteNumber("durationMs", (long)report.Duration(now).TotalMilliseconds);
        json.WriteString("cutoff", report.Cutoff.UtcDateTime);
        json.WriteNumber("repositories", report.Repositories);
        json.WriteNumber("marked", report.Marked);
        json.WriteNumber("scannedBlobs", report.ScannedBlobs);
        json.WriteNumber("deletedTags", report.DeletedTags);
        json.WriteNumber("deletedManifests", report.DeletedManifests);
        json.WriteNumber("deletedBlobs", report.DeletedBlobs);
        json.WriteNumber("refusedBlobs", report.RefusedBlobs);
        json.WriteNumber("deletedOrphanFiles", report.DeletedOrphanFiles);
        json.WriteNumber("expiredUploads", report.ExpiredUploads);
        json.WriteNumber("droppedRepositories", report.DroppedRepositories);
        json.WriteNumber("prunedLinks", report.PrunedLinks);
        json.WriteNumber("bytesReclaimed", report.BytesReclaimed);
        Strings(json, "errors", report.Errors);
        if (report.Items is { } items)
        {
            json.WriteStartObject("items");
            Strings(json, "tags", items.Tags);
            Strings(json, "manifests", items.Manifests);
            Strings(json, "blobs", items.Blobs);
            Strings(json, "uploads", items.Uploads);
            Strings(json, "orphanFiles", items.OrphanFiles);
            json.WriteEndObject();
        }
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
