using System.Globalization;
using System.Text;

namespace Nscr.Cli.Feeds;

/// <summary>
/// The <c>text/event-stream</c> format, fed one line at a time (the caller splits on CR, LF or CRLF): comments
/// (<c>: heartbeat</c>) are skipped, <c>data:</c> lines of one event are joined with newlines, <c>event:</c> names it
/// (<c>message</c> when absent), <c>id:</c> sets the id kept for resuming, <c>retry:</c> the reconnection delay; a blank
/// line dispatches the event, if it has data. Unknown fields are ignored, as the spec asks.
/// </summary>
public sealed class ServerSentEventParser
{
    private readonly StringBuilder data = new();
    private string? type;
    private bool hasData;
    private string? idBuffer;

    /// <summary>
    /// The id of the last event dispatched (it outlives the event, like the browser's <c>lastEventId</c>): an <c>id:</c>
    /// counts once its event's blank line has come, so a half-received event is asked for again.
    /// </summary>
    public string? LastEventId
    {
        get;
        set
        {
            field = value;
            idBuffer = value;
        }
    }

    /// <summary>The server's <c>retry:</c> advice, when it gave one.</summary>
    public TimeSpan? Retry { get; private set; }

    /// <summary>Takes one line (without its line ending); returns the event a blank line completes, else null.</summary>
    public ServerSentEvent? Feed(string line)
    {
        if (line.Length == 0) return Dispatch();
        if (line[0] == ':') return null;
        var colon = line.IndexOf(':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? "" : line[(colon + 1)..];
        if (value.StartsWith(' ')) value = value[1..];
        switch (field)
        {
            case "data":
                if (hasData) data.Append('\n');
                data.Append(value);
                hasData = true;
                break;
            case "event":
                type = value;
                break;
            case "id" when !value.Contains('\0'):
                idBuffer = value;
                break;
            case "retry" when value.Length > 0 && value.All(char.IsAsciiDigit)
                && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds):
                Retry = TimeSpan.FromMilliseconds(milliseconds);
                break;
        }
        return null;
    }

    /// <summary>Forgets a half-received event (the connection ended before its blank line), its id included.</summary>
    public void Reset()
    {
        Clear();
        idBuffer = LastEventId;
    }

    private void Clear()
    {
        data.Clear();
        hasData = false;
        type = null;
    }

    private ServerSentEvent? Dispatch()
    {
        // As the spec does: the id counts at the blank line even when the event had no data.
        LastEventId = idBuffer;
        var dispatched = hasData ? new ServerSentEvent(LastEventId, string.IsNullOrEmpty(type) ? "message" : type, data.ToString()) : null;
        Clear();
        return dispatched;
    }
}
