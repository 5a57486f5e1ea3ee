namespace Nscr.Gateway.Logging;

/// <summary>Observability messages: request log, readiness, webhooks (event ids 5000-5099).</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "{Method} {Route} {Repository} {Status} in={BytesIn} out={BytesOut} {DurationMs:0.###}ms")]
    public static partial void Request(ILogger logger, string method, string route, string repository, int status, long bytesIn, long bytesOut, double durationMs);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Readiness check {Check} failed: {Reason}")]
    public static partial void NotReady(ILogger logger, string check, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Computing the storage metrics failed")]
    public static partial void StorageMetricsFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "Webhook queue for {Url} is full; event {Type} {Id} dropped")]
    public static partial void WebhookDropped(ILogger logger, string url, string type, string id);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Webhook {Type} {Id} to {Url}: attempt {Attempt} failed ({Reason}); next in {DelayMs} ms")]
    public static partial void WebhookRetry(ILogger logger, string type, string id, string url, int attempt, string reason, long delayMs);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "Webhook {Type} {Id} to {Url} given up after {Attempts} attempts ({Reason})")]
    public static partial void WebhookGaveUp(ILogger logger, string type, string id, string url, int attempts, string reason);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Debug, Message = "Webhook {Type} {Id} delivered to {Url} on attempt {Attempt}")]
    public static partial void WebhookDelivered(ILogger logger, string type, string id, string url, int attempt);
}
