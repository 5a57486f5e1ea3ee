using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using Nscr.Oci;

namespace Nscr.Storage.FileSystem;

/// <summary>
/// <see cref="IBlobStore"/> on a local (or shared POSIX) filesystem: staged objects are files in
/// <c>uploads/</c>, committed by an atomic rename into <c>blobs/&lt;algorithm&gt;/&lt;xx&gt;/&lt;hex&gt;</c>.
/// </summary>
public sealed partial class FileSystemBlobStore : IBlobStore
{
    private const string ProbePrefix = ".write-probe-";

    private readonly BlobStoreLayout _layout;
    private readonly ILogger<FileSystemBlobStore> _logger;

    public FileSystemBlobStore(IOptions<FileSystemBlobStoreOptions> options, ILogger<FileSystemBlobStore> logger)
    {
        _layout = new BlobStoreLayout(options.Value.RootDirectory);
        _logger = logger;
        Directory.CreateDirectory(_layout.BlobsDirectory);
        Directory.CreateDirectory(_layout.UploadsDirectory);
        RemoveStaleProbes();
        FileSystemBlobStoreLog.Started(logger, _layout.Root);
    }

    // ---- staged objects ----

    public Task CreateStagedAsync(string stagingId, CancellationToken cancellationToken)
    {
        var path = _layout.StagedPath(stagingId);
        cancellationToken.ThrowIfCancellationRequested();
        File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose();
        LinuxFileSync.FsyncDirectory(_layout.UploadsDirectory);
        return Task.CompletedTask;
    }

    public Task<long?> GetStagedLengthAsync(string stagingId, CancellationToken cancellationToken)
    {
        var file = new FileInfo(_layout.StagedPath(stagingId));
        return Task.FromResult(file.Exists ? file.Length : (long?)null);
    }

    public async Task<long> WriteStagedAsync(
        string stagingId, long offset, Stream source, IncrementalHash? hasher, long maxBytes, CancellationToken cancellationToken)
    {
        var path = _layout.StagedPath(stagingId);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        cancellationToken.ThrowIfCancellationRequested();

        using var file = OpenStaged(path, stagingId, FileAccess.Write);
        var length = RandomAccess.GetLength(file);
        if (offset < 0 || offset > length)
        {
            throw new OciException(OciErrorCode.RangeInvalid, $"write offset {offset} is outside the staged object (length {length})");
        }
        try
        {
            if (length != offset) RandomAccess.SetLength(file, offset);
            var copied = await PipelinedFileCopy.CopyAsync(source, file, offset, hasher, maxBytes, cancellationToken);
            RandomAccess.FlushToDisk(file);
            return offset + copied;
        }
        catch (Exception)
        {
            RestoreLength(file, stagingId, offset);
            throw;
        }
    }

    public async Task WriteStagedAsync(string stagingId, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = _layout.StagedPath(stagingId);
        cancellationToken.ThrowIfCancellationRequested();
        using (var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            await RandomAccess.WriteAsync(file, content, 0, cancellationToken);
            RandomAccess.FlushToDisk(file);
        }
        LinuxFileSync.FsyncDirectory(_layout.UploadsDirectory);
    }

    public async Task<Digest> HashStagedAsync(string stagingId, long length, string algorithm, CancellationToken cancellationToken)
    {
        var path = _layout.StagedPath(stagingId);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        using var file = OpenStaged(path, stagingId, FileAccess.Read, FileOptions.SequentialScan);
        var available = RandomAccess.GetLength(file);
        if (available < length)
        {
            throw new OciException(OciErrorCode.SizeInvalid, $"staged object holds {available} bytes, not {length}");
        }
        return await PipelinedFileCopy.HashAsync(file, length, algorithm, cancellationToken);
    }

    public Task CommitStagedAsync(string stagingId, Digest digest, CancellationToken cancellationToken)
    {
        var staged = _layout.StagedPath(stagingId);
        var target = _layout.BlobPath(digest);
        cancellationToken.ThrowIfCancellationRequested();
        var directory = Path.GetDirectoryName(target)!;
        EnsureBlobDirectory(directory);
        try
        {
            // The commit time, so that an orphan's age (for the GC's grace period) counts from here.
            File.SetLastWriteTimeUtc(staged, DateTime.UtcNow);
            File.Move(staged, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Content-addressed: the stored blob has the same bytes (or a retried commit already moved them).
            File.Delete(staged);
            FileSystemBlobStoreLog.CommitFoundExisting(_logger, digest.ToString(), stagingId);
        }
        catch (FileNotFoundException)
        {
            throw new OciException(OciErrorCode.BlobUploadUnknown, $"no staged object '{stagingId}' to commit");
        }
        // Also after finding the blob present: a concurrent commit may not have synced its entry yet.
        LinuxFileSync.FsyncDirectory(directory);
        return Task.CompletedTask;
    }

    public Task DeleteStagedAsync(string stagingId, CancellationToken cancellationToken)
    {
        var path = _layout.StagedPath(stagingId);
        cancellationToken.ThrowIfCancellationRequested();
        File.Delete(path);
        return Task.CompletedTask;
    }

    // ---- committed blobs ----

    public Task<StoredObject?> StatAsync(Digest digest, CancellationToken cancellationToken)
    {
        var file = new FileInfo(_layout.BlobPath(digest));
        return Task.FromResult(file.Exists ? new StoredObject(digest.ToString(), file.Length, file.LastWriteTimeUtc) : null);
    }

    public Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken)
    {
        var path = _layout.BlobPath(digest);
        cancellationToken.ThrowIfCancellationRequested();
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                bufferSize: 4096, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
        if (offset < 0 || offset > stream.Length)
        {
            var length = stream.Length;
            stream.Dispose();
            throw new OciException(OciErrorCode.RangeInvalid, $"read offset {offset} is outside the blob (length {length})");
        }
        stream.Position = offset;
        return Task.FromResult<Stream?>(stream);
    }

    public string? TryGetLocalPath(Digest digest) => _layout.BlobPath(digest);

    public Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        var file = new FileInfo(_layout.BlobPath(digest));
        cancellationToken.ThrowIfCancellationRequested();
        if (!file.Exists) return Task.FromResult(false);
        file.Delete();
        return Task.FromResult(true);
    }

    public Task CheckWritableAsync(CancellationToken cancellationToken) => ProbeAsync(cancellationToken);

    private static SafeFileHandle OpenStaged(string path, string stagingId, FileAccess access, FileOptions options = FileOptions.None)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, access, FileShare.ReadWrite | FileShare.Delete, options);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OciException(OciErrorCode.BlobUploadUnknown, $"no staged object '{stagingId}'");
        }
    }

    private void RestoreLength(SafeFileHandle file, string stagingId, long offset)
    {
        try
        {
            RandomAccess.SetLength(file, offset);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            FileSystemBlobStoreLog.RestoreFailed(_logger, e, stagingId, offset);
        }
    }

    /// <summary>Creates a fan-out dir on first use and makes its entry (and its parent's) durable.</summary>
    private void EnsureBlobDirectory(string directory)
    {
        if (Directory.Exists(directory)) return;
        Directory.CreateDirectory(directory);
        var algorithmDirectory = Path.GetDirectoryName(directory)!;
        LinuxFileSync.FsyncDirectory(algorithmDirectory);
        LinuxFileSync.FsyncDirectory(_layout.BlobsDirectory);
    }
}
