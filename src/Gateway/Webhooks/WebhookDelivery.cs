using System.Net.Http.Headers;
using System.Security.Cryptography;
using Nscr.Gateway.Logging;

namespace Nscr.Gateway.Webhooks;

/// <summary>
/// Drains each endpoint's queue in its own loop (a slow receiver delays only its own events), POSTing every event with
/// retries and exponential backoff. Events still queued at shutdown are lost (the queue is in memory).
/// </summary>
public sealed class WebhookDelivery(WebhookPublisher publisher, WebhookOptions options, ILogger<WebhookDelivery> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly MediaTypeHeaderValue CloudEventsJson = new("application/cloudevents+json") { CharSet = "utf-8" };

    public const string SignatureHeader = "X-Nscr-Signature";

    private readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(publisher.Queues.Select(q => DrainAsync(q, stoppingToken)));

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }

    private async Task DrainAsync(WebhookPublisher.EndpointQueue queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in queue.Channel.Reader.ReadAllAsync(stoppingToken))
            {
                await DeliverAsync(queue, item, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(WebhookPublisher.EndpointQueue queue, WebhookEvent item, CancellationToken stoppingToken)
    {
        var body = item.Serialize(options.Source);
        var signature = queue.Endpoint.Secret is { Length: > 0 } secret
            ? "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body))
            : null;
        var backoff = options.InitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var failure = await TryPostAsync(queue.Endpoint, body, signature, item, stoppingToken);
            if (failure is null)
            {
                Log.WebhookDelivered(logger, item.Type, item.Id, queue.DisplayUrl, attempt);
                return;
            }
            if (attempt >= options.MaxAttempts)
            {
                Log.WebhookGaveUp(logger, item.Type, item.Id, queue.DisplayUrl, attempt, failure);
                return;
            }
            Log.WebhookRetry(logger, item.Type, item.Id, queue.DisplayUrl, attempt, failure, (long)backoff.TotalMilliseconds);
            await Task.Delay(backoff, stoppingToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>One attempt; null when the receiver answered 2xx, else why not.</summary>
    private async Task<string?> TryPostAsync(WebhookEndpoint endpoint, byte[] body, string? signature, WebhookEvent item, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(endpoint.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = CloudEventsJson;
        request.Headers.Add("ce-id", item.Id);
        request.Headers.Add("ce-type", item.Type);
        if (signature is not null) request.Headers.Add(SignatureHeader, signature);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return $"no answer within {endpoint.Timeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException e)
        {
            return e.HttpRequestError.ToString();
        }
    }
}
