using System.Security.Cryptography;
using Amazon.S3.Model;
using Nscr.Oci;
using Nscr.Storage.S3;
using Nscr.Storage.Tests.Contract;

namespace Nscr.Storage.Tests.S3;

/// <summary>What only the S3 store has: segments, multipart paths, several processes on one bucket, pagination.</summary>
public sealed partial class S3BlobStoreTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task MultiSegmentUpload_OverThePartSize_IsAssembledExactly_WhenPartCopyIsUnsupported()
    {
        // Segments of 6 MiB and 7 MiB go up as multipart uploads (5 MiB parts); the 1 MiB one between them as one PUT.
        var sizes = new[] { 6 * MiB + 5, 1 * MiB, 7 * MiB + 3 };
        var content = TestStreams.RandomBytes(sizes.Sum(), 200);
        var store = NewStore(partCopy: true);
        var id = NewStagingId();
        await store.CreateStagedAsync(id, None);
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var offset = 0;
        foreach (var size in sizes)
        {
            Assert.Equal(offset + size, await store.WriteStagedAsync(id, offset, TestStreams.NonSeekable(content[offset..(offset + size)]), hasher, size, None));
            offset += size;
        }
        var digest = Digest.FromHash(Digest.Sha256, hasher.GetHashAndReset());
        Assert.Equal(Digest.Compute(content), digest);
        Assert.Equal(3, (await RawKeysAsync($"uploads/{id}/")).Count(key => !key.EndsWith("/created", StringComparison.Ordinal)));

        await store.CommitStagedAsync(id, digest, None);

        // s3rver answers UploadPartCopy with NotImplemented: the store falls back to re-uploading, and remembers.
        Assert.False(store.PartCopy);
        Assert.Equal(content, await ReadBlobAsync(digest));
        Assert.Equal(content.Length, (await store.StatAsync(digest, None))!.Size);
        Assert.Empty(await RawKeysAsync("uploads/"));
    }

    [Fact]
    public async Task Chunks_WrittenThroughDifferentProcesses_MakeOneValidBlob()
    {
        var content = TestStreams.RandomBytes(3 * MiB + 11, 201);
        var gateways = new[] { NewStore(), NewStore(), NewStore() };
        var id = NewStagingId();
        await gateways[0].CreateStagedAsync(id, None);
        const int chunk = 700_001;

        for (int offset = 0, turn = 0; offset < content.Length; offset += chunk, turn++)
        {
            var gateway = gateways[turn % gateways.Length];
            Assert.Equal(offset, await gateway.GetStagedLengthAsync(id, None));
            var end = Math.Min(content.Length, offset + chunk);
            await gateway.WriteStagedAsync(id, offset, TestStreams.NonSeekable(content[offset..end]), null, chunk, None);
        }
        var digest = await gateways[2].HashStagedAsync(id, content.Length, Digest.Sha256, None);
        await gateways[1].CommitStagedAsync(id, digest, None);

        Assert.Equal(Digest.Compute(content), digest);
        Assert.Equal(content, await ReadBlobAsync(digest));
    }

    [Fact]
    public async Task Commit_RetriedFromAnotherProcess_AfterSuccess_Succeeds_AndLeavesOneObject()
    {
        var content = TestStreams.RandomBytes(6 * MiB, 202);
        var id = await StageAsync(content);
        var digest = Digest.Compute(content);
        await Store.CommitStagedAsync(id, digest, None);

        await NewStore().CommitStagedAsync(id, digest, None);
        await Store.CommitStagedAsync(id, digest, None);

        Assert.Equal(content, await ReadBlobAsync(digest));
        Assert.Equal([$"blobs/sha256/{digest.Hex[..2]}/{digest.Hex}"], await RawKeysAsync(""));
    }

    [Fact]
    public async Task Listings_PageThroughListObjectsV2()
    {
        var store = NewStore(listPageSize: 3);
        var blobs = new List<Digest>();
        for (var i = 0; i < 8; i++)
        {
            var id = NewStagingId();
            var content = TestStreams.RandomBytes(100 + i, 210 + i);
            await store.CreateStagedAsync(id, None);
            await store.WriteStagedAsync(id, 0, TestStreams.NonSeekable(content[..50]), null, 1000, None);
            await store.WriteStagedAsync(id, 50, TestStreams.NonSeekable(content[50..]), null, 1000, None);
            if (i % 2 == 0)
            {
                blobs.Add(Digest.Compute(content));
                await store.CommitStagedAsync(id, blobs[^1], None);
            }
        }

        var listedBlobs = new List<StoredObject>();
        await foreach (var blob in store.ListBlobsAsync(None)) listedBlobs.Add(blob);
        var listedStaged = new List<StoredObject>();
        await foreach (var staged in store.ListStagedAsync(None)) listedStaged.Add(staged);

        Assert.Equal(blobs.Select(digest => digest.ToString()).Order(), listedBlobs.Select(blob => blob.Name).Order());
        // Each staged object is a marker and two segments (12 keys over 4 pages of 3): one row each, lengths summed.
        Assert.Equal(new long[] { 101, 103, 105, 107 }, listedStaged.Select(staged => staged.Size).Order());
        Assert.Equal(4, listedStaged.Select(staged => staged.Name).Distinct().Count());
    }

    [Fact]
    public async Task CrashLeftovers_WithoutAMarker_AreListedForTheGc_AndDeleteStagedRemovesThem()
    {
        var id = NewStagingId();
        // A crash in the middle of deleting a staged object: the marker went, two segments stayed.
        await RawPutAsync($"uploads/{id}/0000000000000000000.{Guid.NewGuid():N}", 40);
        await RawPutAsync($"uploads/{id}/0000000000000000040.{Guid.NewGuid():N}", 2);

        Assert.Null(await Store.GetStagedLengthAsync(id, None));
        var listed = Assert.Single(await ListStagedAsync());
        Assert.Equal(id, listed.Name);
        Assert.Equal(42, listed.Size);
        Assert.True(listed.LastModified > DateTimeOffset.UtcNow.AddMinutes(-5));

        await Store.DeleteStagedAsync(id, None);

        Assert.Empty(await ListStagedAsync());
        Assert.Empty(await RawKeysAsync("uploads/"));
    }

    [Fact]
    public async Task InterruptedTrim_TheShorterSegmentWins_AndTheNextWriteRemovesTheRest()
    {
        var id = NewStagingId();
        await Store.CreateStagedAsync(id, None);
        var original = TestStreams.RandomBytes(100, 220);
        // A crash after writing the trimmed copy (40 bytes) and before deleting the original and what followed it.
        await RawPutAsync($"uploads/{id}/0000000000000000000.{Guid.NewGuid():N}", 100, original);
        await RawPutAsync($"uploads/{id}/0000000000000000000.{Guid.NewGuid():N}", 40, original[..40]);
        await RawPutAsync($"uploads/{id}/0000000000000000100.{Guid.NewGuid():N}", 10);

        Assert.Equal(40, await Store.GetStagedLengthAsync(id, None));
        var tail = TestStreams.RandomBytes(5, 221);
        Assert.Equal(45, await Store.WriteStagedAsync(id, 40, TestStreams.NonSeekable(tail), null, 5, None));

        Assert.Equal(Digest.Compute([.. original[..40], .. tail]), await Store.HashStagedAsync(id, 45, Digest.Sha256, None));
        Assert.Equal(3, (await RawKeysAsync($"uploads/{id}/")).Count); // the marker, the trimmed copy, the new segment
    }

    [Fact]
    public async Task Truncating_InsideALargeSegment_KeepsItsPrefix()
    {
        var content = TestStreams.RandomBytes(12 * MiB, 230);
        var id = await StageAsync(content);

        Assert.Equal(7 * MiB + 1, await Store.WriteStagedAsync(id, 7 * MiB, TestStreams.NonSeekable([42]), null, 1, None));

        Assert.Equal(Digest.Compute([.. content[..(7 * MiB)], 42]), await Store.HashStagedAsync(id, 7 * MiB + 1, Digest.Sha256, None));
        Assert.Equal(3, (await RawKeysAsync($"uploads/{id}/")).Count);
    }

    [Fact]
    public async Task OpenRead_OfALargeBlob_StreamsRanges()
    {
        var content = TestStreams.RandomBytes(6 * MiB + 1, 240);
        var digest = await CommitAsync(content);

        Assert.Equal(content[(5 * MiB)..], await ReadBlobAsync(digest, 5 * MiB));
        Assert.Equal(content[^1..], await ReadBlobAsync(digest, content.Length - 1));
    }

    private async Task<List<string>> RawKeysAsync(string under)
    {
        using var client = S3ClientFactory.Create(OptionsFor(server, _prefix));
        var response = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3rverProcess.Bucket, Prefix = $"{_prefix}/{under}" });
        return (response.S3Objects ?? []).Select(item => item.Key[(_prefix.Length + 1)..]).ToList();
    }

    private async Task RawPutAsync(string key, int size, byte[]? content = null)
    {
        using var client = S3ClientFactory.Create(OptionsFor(server, _prefix));
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = S3rverProcess.Bucket,
            Key = $"{_prefix}/{key}",
            InputStream = new MemoryStream(content ?? new byte[size]),
            UseChunkEncoding = false,
        });
    }
}
