namespace Nscr.Gateway.Logging;

/// <summary>Transport, limits and hostile-input messages (event ids 2100-2199).</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Rejected {Method} with a hostile request target {Target}")]
    public static partial void HostileTarget(ILogger logger, string method, string target);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Client {Client} spent its failed-authentication allowance for this window; further attempts get 429")]
    public static partial void AuthAttemptsLimited(ILogger logger, string client);


    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "{Method} {Path}: the client went away ({Reason})")]
    public static partial void ClientGone(ILogger logger, string method, string path, string reason);
}
