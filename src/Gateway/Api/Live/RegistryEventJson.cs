using System.Text.Json;
using Nscr.Gateway.Events;
using Nscr.Grains;
using Nscr.Grains.Events;

namespace Nscr.Gateway.Api.Live;

/// <summary>
/// The JSON of a registry event: <c>{"id","type","time",...}</c>. A GC event carries the fields of
/// <see cref="GcReportJson"/> but names the cycle's id <c>gcId</c> and its outcome <c>outcome</c>
/// (running|completed|failed), because <c>id</c> is the event's and <c>state</c> is running|finished.
/// </summary>
public static class RegistryEventJson
{
    public static string TypeName(FeedEvent item) => item.Event.Type switch
    {
        RegistryEventType.Push => "push",
        RegistryEventType.Delete => "delete",
        _ => "gc",
    };

    public static void Write(Utf8JsonWriter json, FeedEvent item, DateTimeOffset now)
    {
        var e = item.Event;
        json.WriteStartObject();
        json.WriteNumber("id", item.Id);
        json.WriteString("type", TypeName(item));
        json.WriteString("time", e.Time.UtcDateTime);
        switch (e.Type)
        {
            case RegistryEventType.Push:
                json.WriteString("repository", e.Repository);
                json.WriteString("reference", e.Reference);
                json.WriteString("digest", e.Digest);
                json.WriteString("mediaType", e.MediaType);
                json.WriteNumber("sizeBytes", e.SizeBytes);
                break;
            case RegistryEventType.Delete:
                json.WriteString("repository", e.Repository);
                json.WriteString("target", e.Target switch
                {
                    DeleteTarget.Tag => "tag",
                    DeleteTarget.Manifest => "manifest",
                    _ => "repository",
                });
                json.WriteString("reference", e.Reference);
                break;
            case RegistryEventType.Gc when e.Gc is { } report:
                json.WriteString("state", report.State == GcCycleState.Running ? "running" : "finished");
                GcReportJson.WriteProperties(json, report, now, idName: "gcId", stateName: "outcome");
                break;
        }
        json.WriteEndObject();
    }
}
