using System.Security.Cryptography;
using Nscr.Oci;

namespace Nscr.Storage;

/// <summary>
/// Where blob bytes live. Committed blobs are content-addressed and immutable; uploads are staged under an
/// id and become a blob through an atomic commit. Implementations: FileSystem/ and S3/; both pass
/// the same contract test suite (tests/Storage.Tests, <c>BlobStoreContractTests</c>).
/// </summary>
/// <remarks>
/// Staging ids must satisfy <see cref="StagingIds.IsValid"/>; every staged-object method throws
/// <see cref="ArgumentException"/> otherwise, before touching storage. The store does not serialise writers:
/// the caller (the upload session grain's write lease) guarantees one writer per staging id at a time.
/// </remarks>
public interface IBlobStore
{
    // ---- staged objects (upload sessions, manifest bodies before commit) ----

    /// <summary>Creates an empty staged object (replacing any leftover with the same id).</summary>
    Task CreateStagedAsync(string stagingId, CancellationToken cancellationToken);

    /// <summary>Length of the staged object, or null when there is none.</summary>
    Task<long?> GetStagedLengthAsync(string stagingId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="source"/> at <paramref name="offset"/> (anything after it is discarded first),
    /// feeding every byte to <paramref name="hasher"/> when given, and makes it durable (fsync) before returning
    /// the new length. Streams with pooled buffers; never holds the whole content in memory; the source need
    /// not be seekable.
    /// </summary>
    /// <param name="maxBytes">How many bytes this call may write (not the total length of the object).</param>
    /// <exception cref="OciException">
    /// SIZE_INVALID when more than <paramref name="maxBytes"/> arrive; RANGE_INVALID when <paramref name="offset"/>
    /// is negative or beyond the current length (no holes); BLOB_UPLOAD_UNKNOWN when there is no such staged object.
    /// </exception>
    /// <remarks>
    /// On any failure (including cancellation) the staged object is cut back to <paramref name="offset"/> bytes
    /// (best effort), so its length stays what the caller last recorded; the hasher's state is then undefined
    /// (rehash with <see cref="HashStagedAsync"/>).
    /// </remarks>
    Task<long> WriteStagedAsync(string stagingId, long offset, Stream source, IncrementalHash? hasher, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Writes a whole small staged object (a manifest body) durably, creating or replacing it.</summary>
    Task WriteStagedAsync(string stagingId, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>
    /// Hashes the first <paramref name="length"/> bytes of a staged object from storage with
    /// <paramref name="algorithm"/> (<see cref="Digest.Sha256"/> or <see cref="Digest.Sha512"/>).
    /// </summary>
    /// <exception cref="OciException">
    /// BLOB_UPLOAD_UNKNOWN when there is no such staged object; SIZE_INVALID when it is shorter than <paramref name="length"/>.
    /// </exception>
    Task<Digest> HashStagedAsync(string stagingId, long length, string algorithm, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically moves the staged object into place as <paramref name="digest"/> (durable: the rename and
    /// the directory entry are synced). If the blob already exists the staged object is just removed (same
    /// digest, same bytes). The caller has verified the digest; the store does not rehash.
    /// </summary>
    /// <remarks>
    /// Idempotent: retrying after a commit that succeeded (staged object gone, blob present) succeeds.
    /// A committed blob's <see cref="StoredObject.LastModified"/> is its commit time.
    /// </remarks>
    /// <exception cref="OciException">BLOB_UPLOAD_UNKNOWN when neither the staged object nor the blob exists.</exception>
    Task CommitStagedAsync(string stagingId, Digest digest, CancellationToken cancellationToken);

    /// <summary>Removes a staged object; does nothing when there is none.</summary>
    Task DeleteStagedAsync(string stagingId, CancellationToken cancellationToken);

    /// <summary>
    /// Every staged object (name = staging id) with its last write time, for cleaning up after crashes.
    /// Objects whose names are not valid staging ids (temporary files) are skipped.
    /// </summary>
    IAsyncEnumerable<StoredObject> ListStagedAsync(CancellationToken cancellationToken);

    // ---- committed blobs ----

    /// <summary>Size and commit time of a committed blob, or null when it is not stored.</summary>
    Task<StoredObject?> StatAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Opens a committed blob for reading from <paramref name="offset"/>; null when not stored.</summary>
    /// <exception cref="OciException">RANGE_INVALID when <paramref name="offset"/> is negative or beyond the blob's length.</exception>
    Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken);

    /// <summary>
    /// Where the blob's file would be when the store is a filesystem (lets HTTP serve it with sendfile), else
    /// null. Does not check that the blob exists: use <see cref="StatAsync"/> for that.
    /// </summary>
    string? TryGetLocalPath(Digest digest);

    /// <summary>Deletes a committed blob; true when it existed.</summary>
    Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Every committed blob (name = digest string), including orphans no grain knows about (the GC reclaims
    /// them). Objects that are not named like a digest are skipped.
    /// </summary>
    IAsyncEnumerable<StoredObject> ListBlobsAsync(CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be written (readiness probe).</summary>
    Task CheckWritableAsync(CancellationToken cancellationToken);
}

/// <summary>A stored object: a blob (name = digest) or a staged upload (name = staging id).</summary>
public sealed record StoredObject(string Name, long Size, DateTimeOffset LastModified);
