using Microsoft.Extensions.Logging;

namespace Nscr.Grains.Gc;

/// <summary>Log messages of garbage collection, source-generated, with their event ids.</summary>
internal static partial class GcLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "GC cycle {Id} started ({Trigger}, dry run: {DryRun}, cutoff {Cutoff:o})")]
    public static partial void Started(ILogger logger, long id, string trigger, bool dryRun, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "GC cycle {Id} {State} in {DurationMs} ms: {Marked} marked, {Manifests} manifests, {Blobs} blobs, {Orphans} orphan files, {Uploads} uploads, {Bytes} bytes, {Errors} errors")]
    public static partial void Finished(ILogger logger, long id, GcCycleState state, long durationMs, int marked, int manifests, int blobs, int orphans,
        int uploads, long bytes, int errors);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "GC cycle {Id} stopped")]
    public static partial void Failed(ILogger logger, Exception exception, long id);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "GC cycle {Id} could not {Action} {Item}")]
    public static partial void ItemFailed(ILogger logger, Exception exception, long id, string action, string item);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "GC could not save its history")]
    public static partial void SaveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Retention policy now from the {Source}: {Rules} rules")]
    public static partial void RetentionChanged(ILogger logger, string source, int rules);

    [LoggerMessage(EventId = 5050, Level = LogLevel.Warning, Message = "GC cycle observer {Observer} failed")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string observer);
}
