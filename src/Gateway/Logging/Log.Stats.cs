namespace Nscr.Gateway.Logging;

/// <summary>Throughput recording messages (event ids 5100-5149).</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "Reporting throughput to the stats grain failed; {Seconds} seconds kept for the next attempt")]
    public static partial void ThroughputReportFailed(ILogger logger, Exception exception, int seconds);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Reporting throughput works again")]
    public static partial void ThroughputReportRecovered(ILogger logger);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Polling the stats grain for the live throughput failed")]
    public static partial void ThroughputPollFailed(ILogger logger, Exception exception);
}
