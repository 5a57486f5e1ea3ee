using Microsoft.Extensions.Logging;

namespace Nscr.Grains.Repositories;

/// <summary>Log messages of the repository grains, source-generated, with their event ids.</summary>
internal static partial class RepositoryLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Repository {Repository} upgraded to rows: {Manifests} manifests, {Tags} tags")]
    public static partial void Upgraded(ILogger logger, string repository, int manifests, int tags);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Upgrade of the stored state to rows done: {Repositories} repositories and {Blobs} blobs in {DurationMs} ms")]
    public static partial void UpgradeFinished(ILogger logger, int repositories, int blobs, long durationMs);
}
