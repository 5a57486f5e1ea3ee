using Microsoft.Extensions.Logging;

namespace Nscr.Storage.FileSystem;

/// <summary>Log messages of the filesystem blob store (event ids 1100–1199).</summary>
internal static partial class FileSystemBlobStoreLog
{
    [LoggerMessage(1100, LogLevel.Information, "File system blob store at {Root}")]
    public static partial void Started(ILogger logger, string root);

    [LoggerMessage(1101, LogLevel.Debug, "Blob {Digest} was already stored; dropped staged object {StagingId}")]
    public static partial void CommitFoundExisting(ILogger logger, string digest, string stagingId);

    [LoggerMessage(1102, LogLevel.Warning, "Could not cut staged object {StagingId} back to {Offset} bytes after a failed write")]
    public static partial void RestoreFailed(ILogger logger, Exception exception, string stagingId, long offset);

    [LoggerMessage(1103, LogLevel.Information, "Removed leftover write probe {Path}")]
    public static partial void RemovedStaleProbe(ILogger logger, string path);
}
