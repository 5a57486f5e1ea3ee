using Microsoft.Extensions.Logging;

namespace Nscr.Storage.S3;

/// <summary>Log messages of the S3 blob store (event ids 3100–3199). Keys and secrets are never logged.</summary>
internal static partial class S3BlobStoreLog
{
    [LoggerMessage(3100, LogLevel.Information, "S3 blob store: bucket {Bucket} at {Endpoint}, prefix '{Prefix}', path style {PathStyle}")]
    public static partial void Started(ILogger logger, string bucket, string endpoint, string prefix, bool pathStyle);

    [LoggerMessage(3101, LogLevel.Debug, "Blob {Digest} was already stored; dropped staged object {StagingId}")]
    public static partial void CommitFoundExisting(ILogger logger, string digest, string stagingId);

    [LoggerMessage(3102, LogLevel.Warning, "Could not remove object {Key} after a failed write; the next write, commit or GC removes it")]
    public static partial void CleanupFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(3103, LogLevel.Warning, "The S3 server does not implement UploadPartCopy; commits of multi-segment uploads re-upload the bytes instead")]
    public static partial void PartCopyUnsupported(ILogger logger);

    [LoggerMessage(3104, LogLevel.Debug, "Committed {Digest} from {Segments} segment(s) of staged object {StagingId}: {CopiedParts} part(s) copied in the server, {StreamedParts} re-uploaded")]
    public static partial void Committed(ILogger logger, string digest, int segments, string stagingId, int copiedParts, int streamedParts);
}
