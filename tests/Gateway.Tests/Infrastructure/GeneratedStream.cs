using System.Security.Cryptography;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Infrastructure;

/// <summary>
/// A non-seekable stream of <paramref name="length"/> pseudo-random bytes, hashed as it is read, so large uploads
/// need neither memory nor a length header (HttpClient sends it with chunked transfer encoding).
/// </summary>
public sealed class GeneratedStream(long length, int seed) : Stream
{
    private readonly Random random = new(seed);
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long position;
    private Digest? digest;

    /// <summary>The digest of the whole content; available once the stream has been read to its end.</summary>
    public Digest Digest => digest ?? throw new InvalidOperationException($"only {position} of {length} bytes were read");

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - position);
        if (count <= 0) return 0;
        var chunk = buffer[..count];
        random.NextBytes(chunk);
        hash.AppendData(chunk);
        position += count;
        // HttpClient disposes request content when it is sent, so the digest is taken before that.
        if (position == length) digest = Digest.FromHash(Digest.Sha256, hash.GetHashAndReset());
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
    public override long Position { get => position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) hash.Dispose();
        base.Dispose(disposing);
    }
}
