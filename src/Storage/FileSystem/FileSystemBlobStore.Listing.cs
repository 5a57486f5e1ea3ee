using System.Runtime.CompilerServices;
using Nscr.Oci;

namespace Nscr.Storage.FileSystem;

/// <summary>Listings (for the GC and crash clean-up) and the readiness probe.</summary>
public sealed partial class FileSystemBlobStore
{
    public IAsyncEnumerable<StoredObject> ListStagedAsync(CancellationToken cancellationToken) =>
        EnumerateStaged(cancellationToken).ToAsyncEnumerable();

    public IAsyncEnumerable<StoredObject> ListBlobsAsync(CancellationToken cancellationToken) =>
        EnumerateBlobs(cancellationToken).ToAsyncEnumerable();

    private IEnumerable<StoredObject> EnumerateStaged(CancellationToken cancellationToken)
    {
        foreach (var file in FilesIn(_layout.UploadsDirectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!StagingIds.IsValid(file.Name)) continue;
            if (TryDescribe(file, file.Name) is { } staged) yield return staged;
        }
    }

    private IEnumerable<StoredObject> EnumerateBlobs(CancellationToken cancellationToken)
    {
        foreach (var algorithm in new[] { Digest.Sha256, Digest.Sha512 })
        {
            var algorithmDirectory = new DirectoryInfo(Path.Combine(_layout.BlobsDirectory, algorithm));
            if (!algorithmDirectory.Exists) continue;
            foreach (var fanOut in algorithmDirectory.EnumerateDirectories())
            {
                foreach (var file in FilesIn(fanOut.FullName))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    // Anything not named like the digest that belongs here (a temp file, a stray copy) is skipped.
                    if (!BlobStoreLayout.TryParseBlobFile(algorithm, fanOut.Name, file.Name, out var digest)) continue;
                    if (TryDescribe(file, digest.ToString()) is { } blob) yield return blob;
                }
            }
        }
    }

    private static IEnumerable<FileInfo> FilesIn(string directory)
    {
        var info = new DirectoryInfo(directory);
        return info.Exists ? info.EnumerateFiles() : [];
    }

    /// <summary>Null when the file vanished between listing and stat (a concurrent delete or commit).</summary>
    private static StoredObject? TryDescribe(FileInfo file, string name)
    {
        try
        {
            return new StoredObject(name, file.Length, file.LastWriteTimeUtc);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_layout.BlobsDirectory))
        {
            throw new IOException($"blob directory '{_layout.BlobsDirectory}' is missing");
        }
        // The probe goes where uploads are written; its name is not a staging id, so listings never show it.
        var probe = Path.Combine(_layout.UploadsDirectory, ProbePrefix + Guid.NewGuid().ToString("N"));
        try
        {
            await File.WriteAllBytesAsync(probe, "ok"u8.ToArray(), cancellationToken);
        }
        finally
        {
            File.Delete(probe);
        }
    }

    /// <summary>Probes left by a crash would otherwise stay in uploads/ for ever (listings skip them).</summary>
    private void RemoveStaleProbes()
    {
        foreach (var file in new DirectoryInfo(_layout.UploadsDirectory).EnumerateFiles(ProbePrefix + "*"))
        {
            file.Delete();
            FileSystemBlobStoreLog.RemovedStaleProbe(_logger, file.FullName);
        }
    }
}
