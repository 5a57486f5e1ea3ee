using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Nscr.Oci;

namespace Nscr.Storage.S3;

/// <summary>
/// Commit: the segments become the blob's object in one step that S3 shows only whole (CopyObject of a single
/// segment, or a multipart upload completed at the end), then the staged keys are deleted. A retry finds the
/// blob and only cleans up.
/// </summary>
public sealed partial class S3BlobStore
{
    public async Task CommitStagedAsync(string stagingId, Digest digest, CancellationToken cancellationToken)
    {
        var layout = await ReadLayoutAsync(stagingId, cancellationToken);
        var target = _keys.Blob(digest);
        if (await TryHeadAsync(target, cancellationToken) is not null)
        {
            // Content-addressed: the stored blob has the same bytes (or a retried commit already assembled them).
            await DeleteKeysAsync(layout.AllKeys, cancellationToken);
            S3BlobStoreLog.CommitFoundExisting(_logger, digest.ToString(), stagingId);
            return;
        }
        if (!layout.Exists) throw new OciException(OciErrorCode.BlobUploadUnknown, $"no staged object '{stagingId}' to commit");

        var (copied, streamed) = await AssembleAsync(layout, target, cancellationToken);
        await DeleteKeysAsync(layout.AllKeys, cancellationToken);
        S3BlobStoreLog.Committed(_logger, digest.ToString(), layout.Chain.Count, stagingId, copied, streamed);
    }

    /// <summary>Writes the chain of segments to <paramref name="target"/>; returns how many parts were copied and re-uploaded.</summary>
    private async Task<(int Copied, int Streamed)> AssembleAsync(StagedLayout layout, string target, CancellationToken cancellationToken)
    {
        switch (layout.Chain)
        {
            case []:
                await PutAsync(target, [], 0, cancellationToken);
                return (0, 0);
            case [var only] when only.Size <= MaxCopySize:
                await _client.CopyObjectAsync(new CopyObjectRequest
                {
                    SourceBucket = _bucket,
                    SourceKey = only.Key,
                    DestinationBucket = _bucket,
                    DestinationKey = target,
                }, cancellationToken);
                return (1, 0);
        }

        var plan = CommitPlan.Create(layout.Chain, PartSize, PartCopy);
        var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = target }, cancellationToken);
        try
        {
            var etags = new List<PartETag>(plan.Parts.Count);
            foreach (var part in plan.Parts)
            {
                etags.Add(part.IsCopy
                    ? await CopyPartAsync(target, upload.UploadId, etags.Count + 1, part.Ranges[0], cancellationToken)
                    : await StreamPartAsync(target, upload.UploadId, etags.Count + 1, part, cancellationToken));
            }
            await CompleteAsync(target, upload.UploadId, etags, cancellationToken);
            return (plan.Parts.Count(part => part.IsCopy), plan.Parts.Count(part => !part.IsCopy));
        }
        catch (AmazonS3Exception e) when (PartCopy && e.StatusCode == HttpStatusCode.NotImplemented)
        {
            await AbortAsync(target, upload.UploadId);
            PartCopy = false;
            S3BlobStoreLog.PartCopyUnsupported(_logger);
            return await AssembleAsync(layout, target, cancellationToken);
        }
        catch (Exception)
        {
            await AbortAsync(target, upload.UploadId);
            throw;
        }
    }

    private async Task<PartETag> CopyPartAsync(string target, string uploadId, int partNumber, PartRange range, CancellationToken cancellationToken)
    {
        var response = await _client.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = _bucket,
            SourceKey = range.Segment.Key,
            DestinationBucket = _bucket,
            DestinationKey = target,
            UploadId = uploadId,
            PartNumber = partNumber,
            FirstByte = range.From,
            LastByte = range.From + range.Count - 1,
        }, cancellationToken);
        return new PartETag(partNumber, response.ETag);
    }

    /// <summary>Reads the part's ranges of one or more segments into a pooled buffer and uploads it.</summary>
    private async Task<PartETag> StreamPartAsync(string target, string uploadId, int partNumber, PlannedPart part, CancellationToken cancellationToken)
    {
        var size = (int)part.Size;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var filled = 0;
            foreach (var range in part.Ranges)
            {
                await using var body = await GetAsync(range.Segment.Key, range.From, range.Count, cancellationToken);
                var read = await body.ReadAtLeastAsync(buffer.AsMemory(filled, (int)range.Count), (int)range.Count, throwOnEndOfStream: false, cancellationToken);
                if (read != range.Count) throw new IOException($"segment {range.Segment.Key} is shorter than listed");
                filled += read;
            }
            return await UploadPartAsync(target, uploadId, partNumber, buffer, filled, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
