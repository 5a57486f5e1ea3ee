using System.Net;

namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>A request body that stops after <paramref name="pauseAfter"/> bytes and waits until told to
/// go on: the test knows the upload is in flight, and how much of it the server may have seen.</summary>
public sealed class PausingContent(byte[] data, int pauseAfter) : HttpContent
{
    private const int ChunkSize = 1024 * 1024;
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once <paramref name="pauseAfter"/> bytes have been written and flushed.</summary>
    public Task Paused => _paused.Task;

    public void Resume() => _resume.TrySetResult();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var written = 0;
        try
        {
            while (written < data.Length)
            {
                var count = Math.Min(ChunkSize, Math.Min(data.Length - written, PauseBoundary(written) - written));
                await stream.WriteAsync(data.AsMemory(written, count), cancellationToken);
                written += count;
                if (written == pauseAfter)
                {
                    await stream.FlushAsync(cancellationToken);
                    _paused.TrySetResult();
                    await _resume.Task.WaitAsync(cancellationToken);
                }
            }
        }
        catch (Exception exception)
        {
            _paused.TrySetException(exception);
            throw;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = data.Length;
        return true;
    }

    private int PauseBoundary(int written) => written < pauseAfter ? pauseAfter : data.Length;
}
