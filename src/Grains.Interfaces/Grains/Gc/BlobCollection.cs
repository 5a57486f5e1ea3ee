namespace Nscr.Grains;

[GenerateSerializer]
[Alias("nscr.BlobCollectOutcome")]
public enum BlobCollectOutcome
{
    /// <summary>Neither a committed blob nor a file: nothing to do.</summary>
    Absent,
    /// <summary>Touched or referenced at or after the cutoff (or a young orphan file): kept.</summary>
    Refused,
    /// <summary>The committed blob was deleted (or would be, in a dry run).</summary>
    Deleted,
    /// <summary>A file no committed blob owns (left by a crash) was deleted (or would be).</summary>
    OrphanDeleted,
}

/// <summary>The answer of a blob grain asked to delete itself.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.BlobCollectResult")]
public sealed record BlobCollectResult([property: Id(0)] BlobCollectOutcome Outcome, [property: Id(1)] long Size);

[GenerateSerializer]
[Alias("nscr.UploadExpiryOutcome")]
public enum UploadExpiryOutcome
{
    /// <summary>No such session: its staged file, if any, is an orphan.</summary>
    Unknown,
    /// <summary>Active within the timeout, or being written: kept.</summary>
    Active,
    /// <summary>Idle past the timeout: the session and its staged file were removed (or would be).</summary>
    Expired,
}
