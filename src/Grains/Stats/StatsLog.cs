using Microsoft.Extensions.Logging;

namespace Nscr.Grains.Stats;

/// <summary>Log messages of the stats grain (the stats range, 5100-5149).</summary>
internal static partial class StatsLog
{
    [LoggerMessage(EventId = 5140, Level = LogLevel.Warning, Message = "Writing the throughput history failed; retrying with the next write")]
    public static partial void WriteFailed(ILogger logger, Exception exception);
}
