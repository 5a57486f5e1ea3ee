using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Nscr.Oci;

namespace Nscr.Storage.S3;

/// <summary>
/// Streaming a source into one object: one PUT when it fits in a part, otherwise a multipart upload whose next
/// part is read (and hashed) from the source while the previous one is sent. Two pooled part buffers per write.
/// </summary>
public sealed partial class S3BlobStore
{
    /// <summary>Writes <paramref name="source"/> to <paramref name="key"/>; returns the bytes written (none: no object).</summary>
    private async Task<long> UploadAsync(string key, Stream source, IncrementalHash? hasher, long maxBytes, CancellationToken cancellationToken)
    {
        var current = ArrayPool<byte>.Shared.Rent(PartSize);
        byte[]? spare = null;
        try
        {
            long total = 0;
            var length = await ReadPartAsync(source, current, hasher, maxBytes, total, cancellationToken);
            total += length;
            if (length < PartSize)
            {
                if (length > 0) await PutAsync(key, current, length, cancellationToken);
                return total;
            }

            spare = ArrayPool<byte>.Shared.Rent(PartSize);
            var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, cancellationToken);
            try
            {
                var parts = new List<PartETag>();
                while (length > 0)
                {
                    var sending = UploadPartAsync(key, upload.UploadId, parts.Count + 1, current, length, cancellationToken);
                    int next;
                    try
                    {
                        next = length < PartSize ? 0 : await ReadPartAsync(source, spare, hasher, maxBytes, total, cancellationToken);
                    }
                    catch (Exception)
                    {
                        // The buffer goes back to the pool only once its part is no longer being sent.
                        await ((Task)sending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                        throw;
                    }
                    parts.Add(await sending);
                    total += next;
                    (current, spare, length) = (spare, current, next);
                }
                await CompleteAsync(key, upload.UploadId, parts, cancellationToken);
                return total;
            }
            catch (Exception)
            {
                await AbortAsync(key, upload.UploadId);
                throw;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            if (spare is not null) ArrayPool<byte>.Shared.Return(spare);
        }
    }

    /// <summary>Fills <paramref name="buffer"/> up to <see cref="PartSize"/> (less only at the end of the source), hashing it.</summary>
    private async Task<int> ReadPartAsync(Stream source, byte[] buffer, IncrementalHash? hasher, long maxBytes, long before, CancellationToken cancellationToken)
    {
        var read = await source.ReadAtLeastAsync(buffer.AsMemory(0, PartSize), PartSize, throwOnEndOfStream: false, cancellationToken);
        if (read > maxBytes - before)
        {
            throw new OciException(OciErrorCode.SizeInvalid, $"more than the allowed {maxBytes} bytes were sent");
        }
        hasher?.AppendData(buffer, 0, read);
        return read;
    }

    private async Task<PartETag> UploadPartAsync(string key, string uploadId, int partNumber, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        var response = await _client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = partNumber,
            InputStream = new MemoryStream(buffer, 0, length, writable: false),
            PartSize = length,
            UseChunkEncoding = false,
        }, cancellationToken);
        return new PartETag(partNumber, response.ETag);
    }

    private Task CompleteAsync(string key, string uploadId, List<PartETag> parts, CancellationToken cancellationToken) =>
        _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _bucket,
            Key = key,
            UploadId = uploadId,
            PartETags = parts,
        }, cancellationToken);

    /// <summary>Best effort: an upload left behind is invisible (a bucket lifecycle rule reclaims it; README).</summary>
    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            await _client.AbortMultipartUploadAsync(_bucket, key, uploadId, CancellationToken.None);
        }
        catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or IOException or HttpRequestException)
        {
            S3BlobStoreLog.CleanupFailed(_logger, e, key);
        }
    }
}
