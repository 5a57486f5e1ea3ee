namespace Nscr.Storage.Bench;

/// <summary>A non-seekable source of <c>length</c> pseudo-random bytes, served from a small block (like a request body: memcpy only).</summary>
internal sealed class GeneratedStream(long length) : Stream
{
    private static readonly byte[] Block = CreateBlock();
    private long _position;

    private static byte[] CreateBlock()
    {
        var block = new byte[4 * 1024 * 1024];
        new Random(42).NextBytes(block);
        return block;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _position);
        var copied = 0;
        while (copied < count)
        {
            var at = (int)((_position + copied) % Block.Length);
            var chunk = Math.Min(count - copied, Block.Length - at);
            Block.AsSpan(at, chunk).CopyTo(buffer[copied..]);
            copied += chunk;
        }
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
