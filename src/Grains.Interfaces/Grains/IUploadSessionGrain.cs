using Orleans.Concurrency;

namespace Nscr.Grains;

/// <summary>
/// One per upload (key: the upload id). Tracks how many bytes of the staged file are durable, so any
/// gateway can continue the session and a crash never exposes bytes that were not acknowledged.
/// </summary>
[Alias("nscr.IUploadSessionGrain")]
public interface IUploadSessionGrain : IGrainWithStringKey
{
    [Alias("Start")]
    Task StartAsync(string repository);

    /// <summary>The session, or null when unknown (never started, completed or cancelled).</summary>
    [Alias("Get"), ReadOnly]
    Task<UploadStatus?> GetAsync();

    /// <summary>
    /// Takes the write lease. <paramref name="start"/>, when given, must equal the current offset.
    /// Throws BLOB_UPLOAD_UNKNOWN for an unknown session, RANGE_INVALID on a mismatch or a concurrent write.
    /// Returns the offset at which to write.
    /// </summary>
    [Alias("BeginWrite")]
    Task<long> BeginWriteAsync(string repository, long? start);

    /// <summary>Records the new durable length and releases the lease.</summary>
    [Alias("EndWrite")]
    Task EndWriteAsync(long newOffset);

    /// <summary>Releases the lease without progress (the write failed).</summary>
    [Alias("AbortWrite")]
    Task AbortWriteAsync();

    /// <summary>Forgets the session (after a commit or a cancel).</summary>
    [Alias("Close")]
    Task CloseAsync();

    /// <summary>
    /// Asked by the GC: when the session has been idle since before <paramref name="idleBefore"/> and no chunk is being
    /// written, forgets it and deletes its staged bytes, inside this grain's turn.
    /// </summary>
    [Alias("Expire")]
    Task<UploadExpiryOutcome> ExpireAsync(DateTimeOffset idleBefore, bool dryRun);
}

[GenerateSerializer, Immutable]
[Alias("nscr.UploadStatus")]
public sealed record UploadStatus(
    [property: Id(0)] string Repository,
    [property: Id(1)] long Offset,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset LastActivity);
