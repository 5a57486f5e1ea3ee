using System.Buffers;
using System.Security.Cryptography;
using Nscr.Storage.FileSystem;

namespace Nscr.Storage.Bench;

/// <summary>The write loops compared by the benchmark: the shipped pipelined copy with its knobs, and a plain loop as the baseline.</summary>
internal static class WriteVariants
{
    public static async Task HashOnlyAsync(long size)
    {
        var source = new GeneratedStream(size);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        int read;
        while ((read = await source.ReadAsync(buffer)) > 0) hash.AppendData(buffer, 0, read);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    public static async Task PipelinedAsync(string path, long size, int bufferSize, bool hash, bool writeback, bool fsync)
    {
        using var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        using var hasher = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        await PipelinedFileCopy.CopyAsync(new GeneratedStream(size), file, 0, hasher, long.MaxValue, CancellationToken.None, bufferSize, writeback);
        if (fsync) RandomAccess.FlushToDisk(file);
    }

    public static async Task NaiveAsync(string path, long size, int bufferSize)
    {
        var source = new GeneratedStream(size);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            int read;
            while ((read = await source.ReadAtLeastAsync(buffer.AsMemory(0, bufferSize), bufferSize, throwOnEndOfStream: false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read));
            }
            file.Flush(flushToDisk: true);
        }
        ArrayPool<byte>.Shared.Return(buffer);
    }
}
