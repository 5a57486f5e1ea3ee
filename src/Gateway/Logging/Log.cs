namespace Nscr.Gateway.Logging;

/// <summary>Every log message of the gateway, source-generated, with its event id.</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unhandled error for {Method} {Path}")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "{Method} {Path} failed with {Code}: {Message}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, string code, string message);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Upload {UploadId} has no staged bytes; the session is closed")]
    public static partial void UploadLost(ILogger logger, string uploadId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "nscr listening on {Address}, data in {DataDir}")]
    public static partial void Listening(ILogger logger, string address, string dataDir);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Storage full: {Method} {Path} answered 507, the blob store or the database has no space left ({Cause})")]
    public static partial void StorageFull(ILogger logger, string method, string path, string cause);
}
