using System.Text.Json;
using Nscr.Gateway.Events;

namespace Nscr.Gateway.Api.Live;

/// <summary>
/// <c>GET /api/events</c> (recent registry events of the cluster as JSON) and <c>GET /api/events/stream</c> (server-sent
/// events named after the event's type: <c>push</c>, <c>delete</c>, <c>gc</c>).
/// </summary>
public sealed class EventsEndpoint(RegistryEventSource events, TimeProvider time)
{
    public Task ListAsync(HttpContext context)
    {
        var query = FeedQuery.From(context);
        var feed = events.Feed;
        var lastId = feed.LastId;
        var items = query.Select(feed, _ => true);
        var now = time.GetUtcNow();
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("events");
            foreach (var item in items) RegistryEventJson.Write(json, item, now);
            json.WriteEndArray();
            json.WriteNumber("lastId", Math.Max(lastId, items.Count > 0 ? items[^1].Id : 0));
            json.WriteEndObject();
        });
    }

    public Task StreamAsync(HttpContext context) =>
        ServerSentEvents.StreamAsync(context, events.Feed, RegistryEventJson.TypeName, (json, item) => RegistryEventJson.Write(json, item, time.GetUtcNow()));
}
