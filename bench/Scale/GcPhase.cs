using System.Net;
using System.Text.Json;

namespace Nscr.Scale;

/// <summary><c>gc --label NAME</c>: nscr's online GC, <c>POST /api/gc?wait=true</c>, timed end to end, with its report's counts.</summary>
public static class GcPhase
{
    public static async Task RunAsync(RegistryClient client, string label, CancellationToken cancellationToken)
    {
        var answer = await client.PostAsync("/api/gc?wait=true", HttpStatusCode.OK, cancellationToken);
        using var json = JsonDocument.Parse(answer.Body);
        var report = json.RootElement;
        long Count(string name) => report.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : -1;
        var state = report.TryGetProperty("state", out var stateValue) ? stateValue.GetString() : null;
        Results.Emit(new
        {
            phase = label,
            figure = "gc",
            finished = state == "completed",
            state,
            seconds = Latencies.Round(answer.Milliseconds / 1000),
            duration_ms = Count("durationMs"),
            repositories = Count("repositories"),
            marked = Count("marked"),
            scanned_blobs = Count("scannedBlobs"),
            deleted_blobs = Count("deletedBlobs"),
            deleted_manifests = Count("deletedManifests"),
            bytes_reclaimed = Count("bytesReclaimed"),
        });
    }
}
