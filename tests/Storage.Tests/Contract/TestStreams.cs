namespace Nscr.Storage.Tests.Contract;

/// <summary>Sources for writes: non-seekable, like an HTTP request body.</summary>
public static class TestStreams
{
    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static Stream NonSeekable(byte[] content) => new ForwardOnlyStream(new MemoryStream(content, writable: false));

    /// <summary><paramref name="length"/> deterministic bytes, produced as they are read (nothing of that size is held).</summary>
    public static Stream Generated(long length, int seed) => new GeneratedStream(length, seed);

    /// <summary>Serves <paramref name="content"/>, then fails the next read with an <see cref="IOException"/> (a dropped connection).</summary>
    public static Stream FailingAfter(byte[] content) => new ForwardOnlyStream(new MemoryStream(content, writable: false), failAtEnd: true);

    /// <summary>Serves <paramref name="content"/>, signals <paramref name="drained"/>, then waits for cancellation.</summary>
    public static Stream StallingAfter(byte[] content, TaskCompletionSource drained) =>
        new ForwardOnlyStream(new MemoryStream(content, writable: false), drained: drained);

    private sealed class ForwardOnlyStream(Stream inner, bool failAtEnd = false, TaskCompletionSource? drained = null) : ReadOnlyStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            if (read > 0 || buffer.IsEmpty) return read;
            if (failAtEnd) throw new IOException("connection dropped");
            if (drained is not null)
            {
                drained.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }

    private sealed class GeneratedStream(long length, int seed) : ReadOnlyStream
    {
        private readonly byte[] _block = RandomBytes(64 * 1024 + 7, seed); // odd size: chunks never line up with buffers
        private long _position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, length - _position);
            for (var copied = 0; copied < count;)
            {
                var at = (int)((_position + copied) % _block.Length);
                var chunk = Math.Min(count - copied, _block.Length - at);
                _block.AsSpan(at, chunk).CopyTo(buffer[copied..]);
                copied += chunk;
            }
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }

    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
