using System.Buffers;

namespace Nscr.Gateway.Oci.Http;

public static class StreamCopy
{
    private const int BufferSize = 256 * 1024;

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
