namespace Nscr.Gateway.Logging;

/// <summary>Live feeds: logs and registry events (event ids 5150-5199).</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 5150, Level = LogLevel.Information, Message = "Subscribed to the cluster's registry events")]
    public static partial void EventsSubscribed(ILogger logger);

    [LoggerMessage(EventId = 5151, Level = LogLevel.Warning, Message = "Subscribing to the cluster's registry events failed ({Error}: {Reason}); retrying")]
    public static partial void EventsSubscribeFailed(ILogger logger, string error, string reason);

    [LoggerMessage(EventId = 5152, Level = LogLevel.Warning, Message = "{Count} registry events not sent to the cluster ({Error}: {Reason}); other gateways miss them")]
    public static partial void EventsPublishFailed(ILogger logger, int count, string error, string reason);

    [LoggerMessage(EventId = 5153, Level = LogLevel.Debug, Message = "Unsubscribing from the cluster's registry events failed ({Error}); the subscription lapses")]
    public static partial void EventsUnsubscribeFailed(ILogger logger, string error);
}
