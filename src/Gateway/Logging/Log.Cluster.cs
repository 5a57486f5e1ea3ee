namespace Nscr.Gateway.Logging;

/// <summary>Messages about the cluster as seen from a gateway (event ids 3050-3059).</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 3050, Level = LogLevel.Warning, Message = "{Method} {Path}: the cluster is unavailable ({Reason}); answered 503")]
    public static partial void ClusterUnavailable(ILogger logger, string method, string path, string reason);
}
