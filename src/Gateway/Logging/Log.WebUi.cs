namespace Nscr.Gateway.Logging;

/// <summary>Web UI messages (event ids 5200-5249).</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Debug, Message = "Web UI: {Files} embedded files, build {Build}")]
    public static partial void WebUiReady(ILogger logger, int files, string build);
}
