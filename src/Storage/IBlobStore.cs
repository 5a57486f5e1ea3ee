using System.Security.Cryptography;
using Nscr.Oci;

namespace Nscr.Storage;

/// <summary>
/// Where blob bytes live. Committed blobs are content-addressed and immutable; uploads are staged under an
/// id and become a blob through an atomic commit. Implementations: FileSystem/ (and later S3/); all pass
/// the same contract test suite.
/// </summary>
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
    /// the new length. Streams with pooled buffers; never holds the whole content in memory.
    /// Stops with <see cref="OciException"/> SIZE_INVALID when more than <paramref name="maxBytes"/> arrive.
    /// </summary>
    Task<long> WriteStagedAsync(string stagingId, long offset, Stream source, IncrementalHash? hasher, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Writes a whole small staged object (a manifest body) durably.</summary>
    Task WriteStagedAsync(string stagingId, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Hashes the first <paramref name="length"/> bytes of a staged object from storage.</summary>
    Task<Digest> HashStagedAsync(string stagingId, long length, string algorithm, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically moves the staged object into place as <paramref name="digest"/> (durable: the rename and
    /// the directory entry are synced). If the blob already exists the staged object is just removed.
    /// </summary>
    Task CommitStagedAsync(string stagingId, Digest digest, CancellationToken cancellationToken);

    Task DeleteStagedAsync(string stagingId, CancellationToken cancellationToken);

    /// <summary>Every staged object with its last write time (for cleaning up after crashes).</summary>
    IAsyncEnumerable<StoredObject> ListStagedAsync(CancellationToken cancellationToken);

    // ---- committed blobs ----

    /// <summary>Size and write time of a committed blob, or null when it is not stored.</summary>
    Task<StoredObject?> StatAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Opens a committed blob for reading from <paramref name="offset"/>; null when not stored.</summary>
    Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken);

    /// <summary>A local file path for the blob when the store is a filesystem (lets HTTP serve it with sendfile), else null.</summary>
    string? TryGetLocalPath(Digest digest);

    /// <summary>Deletes a committed blob; true when it existed.</summary>
    Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Every committed blob (name = digest string).</summary>
    IAsyncEnumerable<StoredObject> ListBlobsAsync(CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be written (readiness probe).</summary>
    Task CheckWritableAsync(CancellationToken cancellationToken);
}

/// <summary>A stored object: a blob (name = digest) or a staged upload (name = staging id).</summary>
public sealed record StoredObject(string Name, long Size, DateTimeOffset LastModified);
