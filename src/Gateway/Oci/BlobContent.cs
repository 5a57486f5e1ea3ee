using Microsoft.Win32.SafeHandles;
using Nscr.Gateway.Oci.Http;
using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Gateway.Oci;

/// <summary>
/// A stored blob opened for serving. On a filesystem store the file is opened before any header is written, so a
/// blob collected meanwhile is a clean 404, and a blob collected while it streams is still read to the end
/// (an unlinked file stays readable through its open handle).
/// </summary>
public sealed class BlobContent : IDisposable
{
    private readonly SafeFileHandle? file;
    private readonly IBlobStore store;
    private readonly Digest digest;

    private BlobContent(IBlobStore store, Digest digest, long size, SafeFileHandle? file)
    {
        this.store = store;
        this.digest = digest;
        this.file = file;
        Size = size;
    }

    public long Size { get; }

    /// <summary>Null when the blob is not stored. <paramref name="forReading"/> false only stats it (HEAD).</summary>
    public static async Task<BlobContent?> OpenAsync(IBlobStore store, Digest digest, bool forReading, CancellationToken cancellationToken)
    {
        if (forReading && store.TryGetLocalPath(digest) is { } path)
        {
            try
            {
                var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.SequentialScan);
                return new BlobContent(store, digest, RandomAccess.GetLength(handle), handle);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
        }
        var stored = await store.StatAsync(digest, cancellationToken);
        return stored is null ? null : new BlobContent(store, digest, stored.Size, null);
    }

    public async Task CopyToAsync(Stream destination, long offset, long count, CancellationToken cancellationToken)
    {
        if (file is not null)
        {
            await StreamCopy.CopyFileAsync(file, offset, count, destination, cancellationToken);
            return;
        }
        await using var stream = await store.OpenReadAsync(digest, offset, cancellationToken)
            ?? throw new OciException(OciErrorCode.BlobUnknown, $"blob {digest} is not stored", digest.ToString());
        await StreamCopy.CopyAsync(stream, destination, count, cancellationToken);
    }

    public void Dispose() => file?.Dispose();
}
