using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nscr.Oci;

namespace Nscr.Storage.S3;

/// <summary>
/// <see cref="IBlobStore"/> on S3-compatible object storage. Objects cannot be appended to, so a staged object is a
/// marker plus one segment object per write (<see cref="S3Keys"/>, <see cref="StagedLayout"/>); the commit assembles
/// the segments into the blob's key with one server-side copy or a multipart upload, which S3 makes visible only
/// whole. Every state lives in the bucket, so any process can continue any upload (one writer at a time).
/// </summary>
public sealed partial class S3BlobStore : IBlobStore, IDisposable
{
    /// <summary>S3's smallest part size (all parts but the last).</summary>
    internal const long MinPartSize = 5L * 1024 * 1024;

    /// <summary>S3's largest single copy (CopyObject) and part.</summary>
    internal const long MaxCopySize = 5L * 1024 * 1024 * 1024;

    internal const int MaxParts = 10_000;

    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly S3Keys _keys;
    private readonly ILogger<S3BlobStore> _logger;

    public S3BlobStore(IOptions<S3Options> options, ILogger<S3BlobStore> logger)
    {
        var settings = options.Value;
        _client = S3ClientFactory.Create(settings);
        _bucket = settings.Bucket!;
        _keys = new S3Keys(settings.KeyPrefix);
        _logger = logger;
        S3BlobStoreLog.Started(logger, _bucket, DescribeEndpoint(settings), settings.KeyPrefix, settings.PathStyle);
    }

    /// <summary>Part size of uploads and re-uploads: two such pooled buffers per write in flight. 8 MiB by default.</summary>
    internal int PartSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>Keys per ListObjectsV2 page (S3's maximum is 1000); tests lower it to exercise pagination.</summary>
    internal int ListPageSize { get; init; } = 1000;

    /// <summary>Whether commits may copy parts in the server (UploadPartCopy); turned off when the server lacks it.</summary>
    internal bool PartCopy { get; set; } = true;

    // ---- committed blobs ----

    public async Task<StoredObject?> StatAsync(Digest digest, CancellationToken cancellationToken)
    {
        var metadata = await TryHeadAsync(_keys.Blob(digest), cancellationToken);
        return metadata is null ? null : new StoredObject(digest.ToString(), metadata.ContentLength, ToOffset(metadata.LastModified));
    }

    public async Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken)
    {
        var key = _keys.Blob(digest);
        if (offset < 0) throw new OciException(OciErrorCode.RangeInvalid, $"read offset {offset} is negative");
        try
        {
            // Open-ended range: the caller reads as much as it needs and disposes the stream.
            return await GetAsync(key, offset, null, cancellationToken);
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // S3 refuses a range that starts at the end; the contract allows it (an empty rest).
            var metadata = await TryHeadAsync(key, cancellationToken);
            if (metadata is null) return null;
            if (offset == metadata.ContentLength) return Stream.Null;
            throw new OciException(OciErrorCode.RangeInvalid, $"read offset {offset} is outside the blob (length {metadata.ContentLength})");
        }
    }

    public string? TryGetLocalPath(Digest digest) => null;

    public async Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        var key = _keys.Blob(digest);
        if (await TryHeadAsync(key, cancellationToken) is null) return false;
        await _client.DeleteObjectAsync(_bucket, key, cancellationToken);
        return true;
    }

    public async IAsyncEnumerable<StoredObject> ListBlobsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in ListAsync(_keys.BlobsPrefix, cancellationToken))
        {
            // Anything not named like the digest that belongs there (a stray copy, another tool's object) is skipped.
            if (!_keys.TryParseBlob(item.Key, out var digest)) continue;
            yield return new StoredObject(digest.ToString(), item.Size ?? 0, ToOffset(item.LastModified));
        }
    }

    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        // Outside blobs/ and uploads/, so listings never show it; a crash leaves at most one tiny object.
        var key = $"{_keys.ProbesPrefix}{Guid.NewGuid():N}";
        await PutAsync(key, "ok"u8.ToArray(), 2, cancellationToken);
        await _client.DeleteObjectAsync(_bucket, key, cancellationToken);
    }

    public void Dispose() => _client.Dispose();

    // ---- helpers shared by the partial files ----

    private async Task<GetObjectMetadataResponse?> TryHeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(_bucket, key, cancellationToken);
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>Reads <c>[offset, offset + count)</c> of an object (to its end when <paramref name="count"/> is null).</summary>
    private async Task<Stream> GetAsync(string key, long offset, long? count, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = key };
        // s3rver reads "bytes=0-0" as the whole object; a 1-byte prefix is then read from an open range and cut.
        if (offset > 0 || count is > 1) request.ByteRange = count is { } n ? new ByteRange(offset, offset + n - 1) : new ByteRange($"bytes={offset}-");
        var response = await _client.GetObjectAsync(request, cancellationToken);
        return new ObjectReadStream(response, count);
    }

    private Task PutAsync(string key, byte[] buffer, int count, CancellationToken cancellationToken) =>
        _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = key,
            InputStream = new MemoryStream(buffer, 0, count, writable: false),
            AutoCloseStream = true,
            // Plain signed payloads: aws-chunked encoding is not understood by every S3-compatible server.
            UseChunkEncoding = false,
        }, cancellationToken);

    private async IAsyncEnumerable<S3Object> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = _bucket,
                Prefix = prefix,
                MaxKeys = ListPageSize,
                ContinuationToken = token,
            }, cancellationToken);
            foreach (var item in page.S3Objects ?? []) yield return item;
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    /// <summary>Deletes keys in batches (DeleteObjects takes up to 1000).</summary>
    private async Task DeleteKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        foreach (var batch in keys.Chunk(1000))
        {
            var response = await _client.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = _bucket,
                Objects = batch.Select(key => new KeyVersion { Key = key }).ToList(),
                Quiet = true,
            }, cancellationToken);
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                throw new IOException($"S3 refused to delete {errors.Count} object(s): {errors[0].Code} {errors[0].Message}");
            }
        }
    }

    private async Task TryDeleteAsync(string key)
    {
        try
        {
            await _client.DeleteObjectAsync(_bucket, key, CancellationToken.None);
        }
        catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or IOException or HttpRequestException)
        {
            S3BlobStoreLog.CleanupFailed(_logger, e, key);
        }
    }

    /// <summary>The endpoint without any user info a URL might carry (secrets are never logged).</summary>
    private static string DescribeEndpoint(S3Options settings) =>
        string.IsNullOrWhiteSpace(settings.Endpoint) ? $"AWS {settings.Region}"
        : Uri.TryCreate(settings.Endpoint, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}"
        : "(invalid endpoint)";

    private static bool IsNotFound(AmazonS3Exception e) => e.StatusCode == HttpStatusCode.NotFound;

    private static DateTimeOffset ToOffset(DateTime? time) =>
        time is { } t ? new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()) : DateTimeOffset.MinValue;
}
