using System.Net.Http.Headers;
using System.Text;

namespace Nscr.Gateway.Tests.Infrastructure;

/// <summary>One server-sent event as a browser's EventSource would see it (comments are kept apart, for heartbeats).</summary>
public sealed record SseMessage(string? Id, string Event, string Data, bool IsComment);

/// <summary>
/// A test client for <c>text/event-stream</c> responses: opens the stream over real HTTP and reads it message by
/// message, each read bounded by a deadline so a missing event fails the test instead of hanging it.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private SseClient(HttpResponseMessage response, StreamReader reader)
    {
        this.response = response;
        this.reader = reader;
    }

    public HttpResponseMessage Response => response;

    public static async Task<SseClient> OpenAsync(HttpClient http, string path, string? lastEventId = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        configure?.Invoke(request);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        return new SseClient(response, new StreamReader(stream, Encoding.UTF8));
    }

    /// <summary>The next message, comments included; null when the server ended the stream.</summary>
    public async Task<SseMessage?> ReadAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        string? id = null, name = null, comment = null;
        var data = new StringBuilder();
        var any = false;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no server-sent event within {timeout}");
            }
            if (line is null) return any ? Message() : null;
            if (line.Length == 0)
            {
                if (any) return Message();
                continue;
            }
            any = true;
            if (line.StartsWith(':')) comment = line[1..].Trim();
            else if (line.StartsWith("id:", StringComparison.Ordinal)) id = line[3..].TrimStart();
            else if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].TrimStart();
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Append(data.Length > 0 ? "\n" : "").Append(line[5..].TrimStart());
            else if (line.StartsWith("retry:", StringComparison.Ordinal)) name ??= "retry";
        }

        SseMessage Message() => comment is not null && name is null && data.Length == 0
            ? new SseMessage(null, "", comment, IsComment: true)
            : new SseMessage(id, name ?? "message", data.ToString(), IsComment: false);
    }

    /// <summary>The next event that is not a comment or the retry preamble.</summary>
    public async Task<SseMessage> ReadEventAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no server-sent event within {timeout}");
            var message = await ReadAsync(left) ?? throw new EndOfStreamException("the server ended the event stream");
            if (!message.IsComment && message.Event != "retry") return message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        await Task.CompletedTask;
    }
}
