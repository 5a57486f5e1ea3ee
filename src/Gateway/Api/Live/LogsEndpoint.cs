using System.Text.Json;

namespace Nscr.Gateway.Api.Live;

/// <summary>
/// <c>GET /api/logs</c> (recent entries as JSON) and <c>GET /api/logs/stream</c> (server-sent events named <c>log</c>),
/// both with <c>level</c> (the minimum, Trace…Critical) and <c>q</c> (a case-insensitive substring of the message or
/// the category).
/// </summary>
public sealed class LogsEndpoint(LiveLogProvider logs)
{
    public Task ListAsync(HttpContext context)
    {
        var filter = Filter(context);
        var query = FeedQuery.From(context);
        var feed = logs.Feed;
        var lastId = feed.LastId;
        var entries = query.Select(feed, filter);
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("entries");
            foreach (var entry in entries) Write(json, entry);
            json.WriteEndArray();
            json.WriteNumber("lastId", Math.Max(lastId, entries.Count > 0 ? entries[^1].Id : 0));
            json.WriteEndObject();
        });
    }

    public Task StreamAsync(HttpContext context)
    {
        var filter = Filter(context);
        return ServerSentEvents.StreamAsync(context, logs.Feed, _ => "log", Write, filter);
    }

    public static void Write(Utf8JsonWriter json, LogEntry entry)
    {
        json.WriteStartObject();
        json.WriteNumber("id", entry.Id);
        json.WriteString("time", entry.Time.UtcDateTime);
        json.WriteString("level", entry.Level.ToString());
        json.WriteString("category", entry.Category);
        json.WriteNumber("eventId", entry.EventId);
        json.WriteString("message", entry.Message);
        if (entry.Exception is { } exception) json.WriteString("exception", exception);
        else json.WriteNull("exception");
        json.WriteEndObject();
    }

    private static Func<LogEntry, bool> Filter(HttpContext context)
    {
        var query = context.Request.Query;
        var minimum = LogLevel.Trace;
        if (query["level"].ToString() is { Length: > 0 } text
            && (!Enum.TryParse(text, ignoreCase: true, out minimum) || !Enum.IsDefined(minimum) || minimum == LogLevel.None || char.IsDigit(text[0])))
        {
            throw ApiException.InvalidParameter(
                $"query parameter 'level' must be one of Trace, Debug, Information, Warning, Error, Critical, not '{FeedQuery.Cut(text)}'");
        }
        var search = query["q"].ToString();
        return entry => entry.Matches(minimum, search);
    }
}
