using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Nscr.Gateway.Oci.Http;

public static class StreamCopy
{
    private const int BufferSize = 256 * 1024;

    /// <summary>
    /// Larger reads than Kestrel's own send-file path (64 KiB): fewer thread-pool hops per blob. Same size as the
    /// upload buffers, so both share one bucket of the array pool (the pool keeps what it hands out).
    /// </summary>
    private const int FileBufferSize = 256 * 1024;

    /// <summary>Sends <paramref name="count"/> bytes of a file from <paramref name="offset"/> with one pooled buffer.</summary>
    public static async Task CopyFileAsync(SafeFileHandle file, long offset, long count, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(FileBufferSize, count));
        try
        {
            while (count > 0)
            {
                var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), offset, cancellationToken);
                if (read == 0) throw new EndOfStreamException("stored blob is shorter than recorded");
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                offset += read;
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies exactly <paramref name="count"/> bytes with a pooled buffer.</summary>
    public static async Task CopyAsync(Stream source, Stream destination, long count, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (count > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
                if (read == 0) throw new EndOfStreamException("stored blob is shorter than recorded");
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
