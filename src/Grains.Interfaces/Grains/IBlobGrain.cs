using Nscr.Oci;
using Orleans.Concurrency;

namespace Nscr.Grains;

/// <summary>
/// One per digest (key: the digest string). The single point that serialises "reference this blob"
/// against "delete this blob": both happen inside this grain's turns.
/// </summary>
[Alias("nscr.IBlobGrain")]
public interface IBlobGrain : IGrainWithStringKey
{
    /// <summary>Moves a staged, fsync'ed object into place under this digest and records the blob as committed.</summary>
    [Alias("CommitStaged")]
    Task<BlobInfo> CommitStagedAsync(string stagingId, long size);

    /// <summary>The committed blob, or null when it is not stored.</summary>
    [Alias("Get"), ReadOnly]
    Task<BlobInfo?> GetAsync();

    /// <summary>Records a new reference (manifest PUT, mount). Fails with BLOB_UNKNOWN when absent or being deleted.</summary>
    [Alias("AddReference")]
    Task<BlobInfo> AddReferenceAsync();
}

[GenerateSerializer, Immutable]
[Alias("nscr.BlobInfo")]
public sealed record BlobInfo(
    [property: Id(0)] long Size,
    [property: Id(1)] DateTimeOffset CommittedAt,
    [property: Id(2)] DateTimeOffset LastTouched);
