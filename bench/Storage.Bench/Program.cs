using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nscr.Oci;
using Nscr.Storage.Bench;
using Nscr.Storage.FileSystem;

// Raw throughput of the blob store's write path: one stream, SHA-256 while copying, fsync before returning.
// Usage: dotnet run -c Release --project bench/Storage.Bench [-- sizeMiB [rounds]]
var sizeMiB = args.Length > 0 ? int.Parse(args[0]) : 512;
var rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
var size = sizeMiB * 1024L * 1024L;
var root = Path.Combine(Path.GetTempPath(), "nscr-storage-bench-" + Environment.ProcessId);
var store = new FileSystemBlobStore(Options.Create(new FileSystemBlobStoreOptions { RootDirectory = root }), NullLogger<FileSystemBlobStore>.Instance);
var path = Path.Combine(root, "uploads", "bench");
Console.WriteLine($"{sizeMiB} MiB per write, best of {rounds}, SHA-256 + fsync included, root {root}");

try
{
    await MeasureAsync("SHA-256 of the source alone (no file)", () => HashOnlyAsync(size));
    await MeasureAsync("pipelined 1 MiB, no hash, no fsync (page cache)", () => CopyNoSyncAsync(path, size, null));
    await MeasureAsync("pipelined 1 MiB, hash, no fsync (page cache)", () => CopyNoSyncAsync(path, size, IncrementalHash.CreateHash(HashAlgorithmName.SHA256)));
    await MeasureAsync("naive loop, 1 MiB buffer (read, hash, write in turn)", () => NaiveCopyAsync(path, size, 1024 * 1024));
    foreach (var bufferSize in new[] { 128 * 1024, 256 * 1024, 512 * 1024, 1024 * 1024, 4 * 1024 * 1024 })
    {
        await MeasureAsync($"pipelined, {bufferSize / 1024} KiB buffers", () => PipelinedCopyAsync(path, size, bufferSize));
    }
    await MeasureAsync("FileSystemBlobStore.WriteStagedAsync (default)", async () =>
    {
        await store.CreateStagedAsync("bench", CancellationToken.None);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await store.WriteStagedAsync("bench", 0, new GeneratedStream(size), hash, long.MaxValue, CancellationToken.None);
    });
    await MeasureAsync("FileSystemBlobStore.HashStagedAsync (page cache)", () =>
        store.HashStagedAsync("bench", size, Digest.Sha256, CancellationToken.None));
}
finally
{
    Directory.Delete(root, recursive: true);
}

async Task MeasureAsync(string name, Func<Task> run)
{
    var best = double.MaxValue;
    for (var i = 0; i < rounds; i++)
    {
        var watch = Stopwatch.StartNew();
        await run();
        best = Math.Min(best, watch.Elapsed.TotalSeconds);
    }
    Console.WriteLine($"{size / best / 1e6,8:F0} MB/s  {name}");
}

static async Task PipelinedCopyAsync(string path, long size, int bufferSize)
{
    using var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    await PipelinedFileCopy.CopyAsync(new GeneratedStream(size), file, 0, hash, long.MaxValue, CancellationToken.None, bufferSize);
    RandomAccess.FlushToDisk(file);
}

static async Task HashOnlyAsync(long size)
{
    var source = new GeneratedStream(size);
    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    var buffer = new byte[1024 * 1024];
    int read;
    while ((read = await source.ReadAsync(buffer)) > 0) hash.AppendData(buffer, 0, read);
}

static async Task CopyNoSyncAsync(string path, long size, IncrementalHash? hash)
{
    using var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
    await PipelinedFileCopy.CopyAsync(new GeneratedStream(size), file, 0, hash, long.MaxValue, CancellationToken.None);
    hash?.Dispose();
}

static async Task NaiveCopyAsync(string path, long size, int bufferSize)
{
    var source = new GeneratedStream(size);
    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
    {
        int read;
        while ((read = await source.ReadAtLeastAsync(buffer.AsMemory(0, bufferSize), bufferSize, false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read));
        }
        file.Flush(flushToDisk: true);
    }
    ArrayPool<byte>.Shared.Return(buffer);
}
