using Orleans.Concurrency;

namespace Nscr.Grains;

/// <summary>
/// One per digest (key: the digest string). The single point that serialises "reference this blob"
/// against "delete this blob": both happen inside this grain's turns. It also records which repositories
/// the blob is linked to (uploaded or mounted there), so an upload costs one transaction, here.
/// </summary>
[Alias("nscr.IBlobGrain")]
public interface IBlobGrain : IGrainWithStringKey
{
    /// <summary>
    /// Moves a staged, fsync'ed object into place under this digest, records the blob as committed and links
    /// it to <paramref name="repository"/>.
    /// </summary>
    [Alias("CommitStaged")]
    Task<BlobInfo> CommitStagedAsync(string stagingId, long size, string repository);

    /// <summary>The committed blob, or null when it is not stored.</summary>
    [Alias("Get"), ReadOnly]
    Task<BlobInfo?> GetAsync();

    /// <summary>True when the blob is stored and linked to <paramref name="repository"/>.</summary>
    [Alias("IsLinked"), ReadOnly]
    Task<bool> IsLinkedAsync(string repository);

    /// <summary>Links a stored blob to another repository (a mount). Fails with BLOB_UNKNOWN when absent or being deleted.</summary>
    [Alias("Link")]
    Task<BlobInfo> LinkAsync(string repository);

    /// <summary>Removes the link to <paramref name="repository"/>; false when there was none.</summary>
    [Alias("Unlink")]
    Task<bool> UnlinkAsync(string repository);

    /// <summary>
    /// Records a new reference from a manifest of <paramref name="repository"/>. Fails with BLOB_UNKNOWN when the
    /// blob is absent, being deleted, or not linked to that repository.
    /// </summary>
    [Alias("AddReference")]
    Task<BlobInfo> AddReferenceAsync(string repository);

    /// <summary>
    /// A read (blob HEAD or GET): true when the blob is stored and linked to <paramref name="repository"/>, and then
    /// records the read as a touch (in memory, persisted lazily) so the GC grace period covers a client that checks a
    /// blob exists before pushing a manifest that uses it.
    /// </summary>
    [Alias("TouchIfLinked")]
    Task<bool> TouchIfLinkedAsync(string repository);

    /// <summary>
    /// Asked by the GC about a blob no repository reaches: deletes it, inside this grain's turn, unless it was touched
    /// or referenced at or after <paramref name="cutoff"/>. The state is durably not-committed before the file goes, so a
    /// crash leaves at worst an orphan file. A file with no committed blob (an orphan) goes once older than the cutoff.
    /// </summary>
    [Alias("Collect")]
    Task<BlobCollectResult> CollectAsync(DateTimeOffset cutoff, bool dryRun);

    /// <summary>
    /// Removes the links to <paramref name="repositories"/> (deleted or emptied ones) unless the blob was touched at or
    /// after <paramref name="cutoff"/>; returns how many were (or would be) removed.
    /// </summary>
    [Alias("PruneLinks")]
    Task<int> PruneLinksAsync(IReadOnlyList<string> repositories, DateTimeOffset cutoff, bool dryRun);
}

[GenerateSerializer, Immutable]
[Alias("nscr.BlobInfo")]
public sealed record BlobInfo(
    [property: Id(0)] long Size,
    [property: Id(1)] DateTimeOffset CommittedAt,
    [property: Id(2)] DateTimeOffset LastTouched);
