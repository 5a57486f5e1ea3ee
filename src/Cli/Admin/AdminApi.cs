using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Nscr.Cli.CommandLine;

namespace Nscr.Cli.Admin;

/// <summary>A successful answer of the admin API: its status, raw body (what <c>--json</c> prints) and parsed JSON.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, string Body)
{
    public JsonElement Root { get; } = Parse(Body);

    private static JsonElement Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.Failed, "the server answered something that is not JSON (is this an nscr registry?)");
        }
    }
}

/// <summary>
/// The admin API over HTTP (<c>/api/…</c>), the only thing the CLI talks to. Every failure becomes a
/// <see cref="CliException"/> with the documented exit code: no answer → 5, 401/403 → 4, 404 → 3, 400 → 2, else 1.
/// </summary>
public sealed class AdminApi(Connection connection) : IDisposable
{
    /// <summary>Default time an answer may take; long operations (fsck, a waited GC poll) pass their own.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient client = CreateClient(connection);

    public Uri Url => connection.Url;

    public Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        SendAsync(HttpMethod.Get, path, cancellationToken, timeout);

    public Task<ApiAnswer> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        SendAsync(method, path, null, cancellationToken, timeout);

    /// <summary>A request with a JSON body (<paramref name="json"/> as given, UTF-8).</summary>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var limit = timeout ?? DefaultTimeout;
        if (limit != Timeout.InfiniteTimeSpan) deadline.CancelAfter(limit);
        HttpResponseMessage response;
        string body;
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            response = await client.SendAsync(request, deadline.Token);
            body = await response.Content.ReadAsStringAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"no answer from {Url} within {limit.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unreachable, $"cannot reach nscr at {Url}: {Describe(e)}");
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return new ApiAnswer(response.StatusCode, body);
            throw Failure(method, path, response, body);
        }
    }

    /// <summary>
    /// Opens a server-sent event stream (<c>text/event-stream</c>) and returns the response once its headers are in; the
    /// body is read as it comes. <paramref name="lastEventId"/> goes out as <c>Last-Event-ID</c> so the server resumes
    /// after it. Failures are the same <see cref="CliException"/>s as for any request (the body of an error is read).
    /// </summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, string? lastEventId, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(DefaultTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.IsSuccessStatusCode) return response;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"no answer from {Url} within {DefaultTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unreachable, $"cannot reach nscr at {Url}: {Describe(e)}");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw Failure(HttpMethod.Get, path, response, body);
        }
    }

    public void Dispose() => client.Dispose();

    private static HttpClient CreateClient(Connection connection)
    {
        var client = new HttpClient { BaseAddress = connection.Url, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("nscr-cli", typeof(AdminApi).Assembly.GetName().Version?.ToString(3)));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (connection.Username is not null)
        {
            var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{connection.Username}:{connection.Password}"));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", pair);
        }
        return client;
    }

    private CliException Failure(HttpMethod method, string path, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var what = ErrorText(body) ?? $"{method} /{path} answered {status} {response.ReasonPhrase}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new CliException(ExitCodes.AuthFailed,
                $"authentication failed ({status}): {what}; run `nscr login {Url}` or give --username/--password"),
            HttpStatusCode.Forbidden => new CliException(ExitCodes.AuthFailed, $"permission denied ({status}): {what}"),
            HttpStatusCode.NotFound when ErrorText(body) is null => new CliException(ExitCodes.NotFound,
                $"{what} (is {Url} an nscr registry with the admin API?)"),
            HttpStatusCode.NotFound => new CliException(ExitCodes.NotFound, what),
            HttpStatusCode.BadRequest => new CliException(ExitCodes.Usage, what),
            _ => new CliException(ExitCodes.Failed, $"{what} ({status})"),
        };
    }

    /// <summary>"CODE: message" from an OCI error document; null when the body is not one.</summary>
    private static string? ErrorText(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var texts = errors.EnumerateArray()
                .Select(e => $"{Text(e, "code")}: {Text(e, "message")}")
                .ToArray();
            return texts.Length == 0 ? null : string.Join("; ", texts);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : "";

    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData => "unknown host",
                    SocketError.TimedOut => "connection timed out",
                    _ => socket.Message,
                };
            }
        }
        return e.InnerException?.Message ?? e.Message;
    }
}
