using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Nscr.Gateway.Api.Live;

/// <summary>
/// Writes a <see cref="LiveFeed{T}"/> as <c>text/event-stream</c>: the items a reconnecting client missed (after its
/// <c>Last-Event-ID</c>), or the last <c>?backlog=N</c> on a first connection, then each new item as it is appended,
/// with a heartbeat comment when idle. The request holds no thread while it waits, and the stream ends when the
/// client goes or the host stops (so a graceful shutdown is not held up by open browsers).
/// </summary>
public static class ServerSentEvents
{
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>How many items are written before a flush, so a burst goes out in few packets but never waits.</summary>
    private const int BatchSize = 256;

    /// <summary>The browser's reconnection delay after a dropped stream.</summary>
    private static readonly byte[] Preamble = "retry: 2000\n\n"u8.ToArray();

    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    public static async Task StreamAsync<T>(
        HttpContext context,
        LiveFeed<T> feed,
        Func<T, string> eventName,
        Action<Utf8JsonWriter, T> writeData,
        Func<T, bool>? filter = null)
    {
        var services = context.RequestServices;
        var heartbeat = services.GetRequiredService<LiveOptions>().Heartbeat;
        var time = services.GetRequiredService<TimeProvider>();
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancel = linked.Token;

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-transform";
        // nginx and similar proxies buffer responses unless told not to; an event stream must pass at once.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var cursor = StartingCursor(context.Request, feed);
        var output = response.BodyWriter;
        using var json = new Utf8JsonWriter(output);
        try
        {
            output.Write(Preamble);
            await output.FlushAsync(cancel);
            while (!cancel.IsCancellationRequested)
            {
                var items = feed.After(cursor, BatchSize);
                if (items.Count > 0)
                {
                    foreach (var item in items)
                    {
                        cursor = item.Id;
                        if (filter is not null && !filter(item.Value)) continue;
                        WriteEvent(output, json, item, eventName(item.Value), writeData);
                    }
                    await output.FlushAsync(cancel);
                    continue;
                }
                if (!await feed.WaitAsync(cursor, heartbeat, time, cancel))
                {
                    output.Write(Heartbeat);
                    await output.FlushAsync(cancel);
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The client went away or the host is stopping: the stream simply ends.
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Where a stream starts: after the client's last seen id (header, or <c>?lastEventId=</c> for clients that cannot
    /// set headers), else <c>?backlog=N</c> items back, else live only. An id from before a restart starts from the
    /// oldest item held.
    /// </summary>
    public static long StartingCursor<T>(HttpRequest request, LiveFeed<T> feed)
    {
        var last = feed.LastId;
        var lastEventId = request.Headers[LastEventIdHeader].ToString();
        if (lastEventId.Length == 0) lastEventId = request.Query["lastEventId"].ToString();
        if (lastEventId.Length > 0)
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw ApiException.InvalidParameter($"{LastEventIdHeader} must be a non-negative integer");
            }
            return id > last ? 0 : id;
        }
        var backlog = request.Query["backlog"].ToString();
        if (backlog.Length == 0) return last;
        if (!int.TryParse(backlog, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw ApiException.InvalidParameter("backlog must be a non-negative integer");
        }
        return Math.Max(0, last - count);
    }

    private static void WriteEvent<T>(PipeWriter output, Utf8JsonWriter json, LiveItem<T> item, string name, Action<Utf8JsonWriter, T> writeData)
    {
        output.Write("id: "u8);
        WriteAscii(output, item.Id.ToString(CultureInfo.InvariantCulture));
        output.Write("\nevent: "u8);
        WriteAscii(output, name);
        output.Write("\ndata: "u8);
        // Utf8JsonWriter escapes control characters (a newline would end the data line) and, with its default
        // encoder, HTML-sensitive ones too.
        json.Reset(output);
        writeData(json, item.Value);
        json.Flush();
        output.Write("\n\n"u8);
    }

    private static void WriteAscii(PipeWriter output, string text)
    {
        var span = output.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        output.Advance(written);
    }
}
