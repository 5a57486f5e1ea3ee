using System.Text;
using Nscr.Cli.Admin;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Output;

namespace Nscr.Cli.Feeds;

/// <summary>
/// Follows one server-sent event stream of the admin API for as long as the caller wants: when the connection drops (the
/// server restarts, a proxy times out, nothing arrives for <see cref="IdleTimeout"/>), it reconnects with
/// <c>Last-Event-ID</c> set to the last id seen so the server resumes without a gap, waiting the server's <c>retry:</c>
/// (else <see cref="FirstDelay"/>), doubled after each failed attempt up to <see cref="MaxDelay"/>. Refusals that
/// retrying cannot fix (401, 403, 404, 400) end it with their exit code.
/// </summary>
public sealed class EventStreamFollower(AdminApi api, string path, string? lastEventId, TextWriter notices) : IDisposable
{
    /// <summary>Longer than several of the server's heartbeats (15 s by default): silence this long means a dead link.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(90);

    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly ServerSentEventParser parser = new() { LastEventId = lastEventId };
    private HttpResponseMessage? response;
    private StreamReader? reader;
    private CancellationTokenSource? idle;
    private int failures;

    /// <summary>The id of the last event received (or the one the follower started after).</summary>
    public string? LastEventId => parser.LastEventId;

    /// <summary>The next event, connecting or reconnecting as needed; only cancellation or a fatal refusal ends the wait.</summary>
    public async Task<ServerSentEvent> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (reader is null) await ConnectAsync(cancellationToken);
            string problem;
            try
            {
                idle!.CancelAfter(IdleTimeout);
                var line = await reader!.ReadLineAsync(idle.Token);
                if (line is not null)
                {
                    if (parser.Feed(line) is { } message) return message;
                    continue;
                }
                problem = "the server ended the stream";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                problem = $"nothing received for {IdleTimeout.TotalSeconds:0} s";
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                problem = $"the connection dropped ({e.Message})";
            }
            Disconnect();
            await BackOffAsync(problem, cancellationToken);
        }
    }

    public void Dispose() => Disconnect();

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                response = await api.OpenStreamAsync(path, parser.LastEventId, cancellationToken);
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                reader = new StreamReader(stream, Encoding.UTF8);
                idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                failures = 0;
                return;
            }
            catch (CliException e) when (e.ExitCode is ExitCodes.Unreachable or ExitCodes.Failed)
            {
                Disconnect();
                await BackOffAsync(e.Message, cancellationToken);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                Disconnect();
                await BackOffAsync(e.Message, cancellationToken);
            }
        }
    }

    private async Task BackOffAsync(string problem, CancellationToken cancellationToken)
    {
        // Whatever a half-received event held is gone; the id stays, so the server sends that event again.
        parser.Reset();
        var first = parser.Retry ?? FirstDelay;
        var delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, first.Ticks << Math.Min(failures, 16)));
        failures++;
        // The path only: the URL may carry credentials in its user-info part.
        await notices.WriteLineAsync($"nscr: /{path.Split('?')[0]}: {problem}; reconnecting in {Formats.Duration(delay)}");
        await Task.Delay(delay, cancellationToken);
    }

    private void Disconnect()
    {
        reader?.Dispose();
        reader = null;
        response?.Dispose();
        response = null;
        idle?.Dispose();
        idle = null;
    }
}
