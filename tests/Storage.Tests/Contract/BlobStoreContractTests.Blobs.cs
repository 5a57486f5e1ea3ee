using System.Security.Cryptography;
using Nscr.Oci;

namespace Nscr.Storage.Tests.Contract;

public abstract partial class BlobStoreContractTests
{
    // ---- hashing ----

    [Theory]
    [InlineData(Digest.Sha256)]
    [InlineData(Digest.Sha512)]
    public async Task HashStaged_MatchesTheContent(string algorithm)
    {
        var content = TestStreams.RandomBytes(2 * 1024 * 1024 + 3, 20);
        var id = await StageAsync(content);

        Assert.Equal(Digest.Compute(content, algorithm), await Store.HashStagedAsync(id, content.Length, algorithm, None));
    }

    [Fact]
    public async Task HashStaged_OfAPrefix_HashesOnlyThatMuch()
    {
        var content = TestStreams.RandomBytes(10_000, 21);
        var id = await StageAsync(content);

        Assert.Equal(Digest.Compute(content[..4321]), await Store.HashStagedAsync(id, 4321, Digest.Sha256, None));
        Assert.Equal(Digest.Compute([]), await Store.HashStagedAsync(id, 0, Digest.Sha256, None));
    }

    [Fact]
    public async Task HashStaged_BeyondTheLength_IsSizeInvalid_AndUnknownIdsAreBlobUploadUnknown()
    {
        var id = await StageAsync(TestStreams.RandomBytes(100, 22));

        var tooLong = await Assert.ThrowsAsync<OciException>(() => Store.HashStagedAsync(id, 101, Digest.Sha256, None));
        var unknown = await Assert.ThrowsAsync<OciException>(() => Store.HashStagedAsync(NewStagingId(), 0, Digest.Sha256, None));

        Assert.Equal(OciErrorCode.SizeInvalid, tooLong.Code);
        Assert.Equal(OciErrorCode.BlobUploadUnknown, unknown.Code);
    }

    // ---- commit ----

    [Fact]
    public async Task CommitStaged_MakesTheBlobVisible_AndTheStagedObjectDisappear()
    {
        var content = TestStreams.RandomBytes(70_000, 23);
        var id = await StageAsync(content);
        var digest = Digest.Compute(content);
        Assert.Null(await Store.StatAsync(digest, None));

        await Store.CommitStagedAsync(id, digest, None);

        var stat = await Store.StatAsync(digest, None);
        Assert.NotNull(stat);
        Assert.Equal(digest.ToString(), stat.Name);
        Assert.Equal(content.Length, stat.Size);
        Assert.Equal(content, await ReadBlobAsync(digest));
        Assert.Null(await Store.GetStagedLengthAsync(id, None));
        Assert.DoesNotContain(await ListStagedAsync(), staged => staged.Name == id);
    }

    [Fact]
    public async Task CommitStaged_OfAnExistingDigest_KeepsTheBlob_AndDropsTheStagedObject()
    {
        var content = TestStreams.RandomBytes(5000, 24);
        var digest = await CommitAsync(content);
        var again = await StageAsync(content);

        await Store.CommitStagedAsync(again, digest, None);

        Assert.Null(await Store.GetStagedLengthAsync(again, None));
        Assert.Equal(content, await ReadBlobAsync(digest));
        Assert.Single(await ListBlobsAsync(), blob => blob.Name == digest.ToString());
    }

    [Fact]
    public async Task CommitStaged_Retried_AfterSuccess_Succeeds()
    {
        var content = TestStreams.RandomBytes(600, 25);
        var id = await StageAsync(content);
        var digest = Digest.Compute(content);
        await Store.CommitStagedAsync(id, digest, None);

        await Store.CommitStagedAsync(id, digest, None);

        Assert.Equal(content, await ReadBlobAsync(digest));
    }

    [Fact]
    public async Task CommitStaged_WithNothingStaged_IsBlobUploadUnknown()
    {
        var error = await Assert.ThrowsAsync<OciException>(() =>
            Store.CommitStagedAsync(NewStagingId(), Digest.Compute([9, 9, 9]), None));
        Assert.Equal(OciErrorCode.BlobUploadUnknown, error.Code);
    }

    [Fact]
    public async Task CommitStaged_SupportsSha512Digests()
    {
        var content = TestStreams.RandomBytes(1234, 26);
        var id = await StageAsync(content);
        var digest = Digest.Compute(content, Digest.Sha512);

        await Store.CommitStagedAsync(id, digest, None);

        Assert.Equal(content, await ReadBlobAsync(digest));
        Assert.Contains(await ListBlobsAsync(), blob => blob.Name == digest.ToString() && blob.Size == content.Length);
    }

    [Fact]
    public async Task Sha256AndSha512OfTheSameBytes_AreTwoBlobs_StatReadAndDeleteApart()
    {
        var content = TestStreams.RandomBytes(3000, 28);
        var sha256 = await CommitAsync(content);
        var sha512 = Digest.Compute(content, Digest.Sha512);
        await Store.CommitStagedAsync(await StageAsync(content), sha512, None);

        Assert.Equal(content.Length, (await Store.StatAsync(sha512, None))?.Size);
        Assert.Equal(content[1000..], await ReadBlobAsync(sha512, 1000));
        if (Store.TryGetLocalPath(sha512) is { } path) Assert.NotEqual(Store.TryGetLocalPath(sha256), path);
        var listed = (await ListBlobsAsync()).Select(b => b.Name).ToList();
        Assert.Contains(sha256.ToString(), listed);
        Assert.Contains(sha512.ToString(), listed);

        Assert.True(await Store.DeleteAsync(sha512, None));

        Assert.Null(await Store.StatAsync(sha512, None));
        Assert.Null(await Store.OpenReadAsync(sha512, 0, None));
        Assert.False(await Store.DeleteAsync(sha512, None));
        Assert.DoesNotContain(sha512.ToString(), (await ListBlobsAsync()).Select(b => b.Name));
        Assert.Equal(content, await ReadBlobAsync(sha256));
    }

    // ---- committed blobs ----

    [Fact]
    public async Task StatAndOpenRead_OfAMissingBlob_AreNull()
    {
        var digest = Digest.Compute([1, 2, 3]);
        Assert.Null(await Store.StatAsync(digest, None));
        Assert.Null(await Store.OpenReadAsync(digest, 0, None));
    }

    [Fact]
    public async Task OpenRead_AtAnOffset_ReturnsTheRest()
    {
        var content = TestStreams.RandomBytes(100_000, 27);
        var digest = await CommitAsync(content);

        Assert.Equal(content[65_537..], await ReadBlobAsync(digest, 65_537));
        Assert.Empty(await ReadBlobAsync(digest, content.Length));
        var error = await Assert.ThrowsAsync<OciException>(() => Store.OpenReadAsync(digest, content.Length + 1, None));
        Assert.Equal(OciErrorCode.RangeInvalid, error.Code);
    }

    [Fact]
    public async Task Delete_RemovesTheBlob_AndSaysWhetherItExisted()
    {
        var content = TestStreams.RandomBytes(321, 28);
        var digest = await CommitAsync(content);
        var other = await CommitAsync(TestStreams.RandomBytes(123, 29));

        Assert.True(await Store.DeleteAsync(digest, None));
        Assert.False(await Store.DeleteAsync(digest, None));

        Assert.Null(await Store.StatAsync(digest, None));
        Assert.Null(await Store.OpenReadAsync(digest, 0, None));
        Assert.NotNull(await Store.StatAsync(other, None));
    }

    [Fact]
    public async Task DeleteStaged_RemovesTheObject_AndIgnoresUnknownIds()
    {
        var id = await StageAsync(TestStreams.RandomBytes(10, 30));

        await Store.DeleteStagedAsync(id, None);
        await Store.DeleteStagedAsync(NewStagingId(), None);

        Assert.Null(await Store.GetStagedLengthAsync(id, None));
    }

    // ---- listings ----

    [Fact]
    public async Task Listings_ShowEveryBlobAndStagedObject_WithSizes()
    {
        Assert.Empty(await ListBlobsAsync());
        Assert.Empty(await ListStagedAsync());
        var small = await CommitAsync(TestStreams.RandomBytes(10, 31));
        var large = await CommitAsync(TestStreams.RandomBytes(20_000, 32));
        var pending = await StageAsync(TestStreams.RandomBytes(77, 33));
        var empty = NewStagingId();
        await Store.CreateStagedAsync(empty, None);
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);

        var blobs = (await ListBlobsAsync()).ToDictionary(blob => blob.Name);
        var staged = (await ListStagedAsync()).ToDictionary(item => item.Name);

        Assert.Equal(new[] { small.ToString(), large.ToString() }.Order(), blobs.Keys.Order());
        Assert.Equal(10, blobs[small.ToString()].Size);
        Assert.Equal(20_000, blobs[large.ToString()].Size);
        Assert.Equal(2, staged.Count);
        Assert.Equal(77, staged[pending].Size);
        Assert.Equal(0, staged[empty].Size);
        Assert.All(blobs.Values.Concat(staged.Values), item => Assert.True(item.LastModified > before));
    }

    // ---- staging ids ----

    public static TheoryData<string> InvalidStagingIds() =>
        ["", "../x", "a/b", "..", ".", "\0", "a\0b", "a\\b", "a b", "a.b", "ü", new string('a', StagingIds.MaxLength + 1), "/etc/passwd"];

    [Theory]
    [MemberData(nameof(InvalidStagingIds))]
    public async Task InvalidStagingIds_AreRejectedByEveryMethod(string id)
    {
        var digest = Digest.Compute([1]);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CreateStagedAsync(id, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetStagedLengthAsync(id, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.WriteStagedAsync(id, 0, TestStreams.NonSeekable([1]), null, 10, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.WriteStagedAsync(id, new byte[] { 1 }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.HashStagedAsync(id, 0, Digest.Sha256, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CommitStagedAsync(id, digest, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.DeleteStagedAsync(id, None));
        Assert.Empty(await ListStagedAsync());
        Assert.Empty(await ListBlobsAsync());
    }

    [Theory]
    [InlineData("Az09_-")]
    [InlineData("a")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public async Task ValidStagingIds_Work(string id)
    {
        await Store.CreateStagedAsync(id, None);
        Assert.Equal(0, await Store.GetStagedLengthAsync(id, None));
        Assert.Contains(await ListStagedAsync(), staged => staged.Name == id);
    }

    // ---- streaming and concurrency ----

    [Fact]
    public async Task WriteStaged_Of64MiB_StreamsWithoutBufferingTheContent()
    {
        const long size = 64L * 1024 * 1024;
        var expected = SHA256.HashData(TestStreams.Generated(size, 40));
        var id = NewStagingId();
        await Store.CreateStagedAsync(id, None);
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var length = await Store.WriteStagedAsync(id, 0, TestStreams.Generated(size, 40), hasher, size, None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.Equal(size, length);
        Assert.Equal(expected, hasher.GetHashAndReset());
        // Process-wide, so other tests running meanwhile count too: the bound only catches buffering the content.
        Assert.True(allocated < size / 2, $"allocated {allocated} bytes while streaming {size}");
        Assert.Equal(Digest.FromHash(Digest.Sha256, expected), await Store.HashStagedAsync(id, size, Digest.Sha256, None));
    }

    [Fact]
    public async Task ConcurrentWrites_ToDifferentIds_DoNotInterfere()
    {
        const int writers = 6;
        const int chunk = 1024 * 1024 + 99;
        var contents = Enumerable.Range(0, writers).Select(i => TestStreams.RandomBytes(3 * chunk, 50 + i)).ToArray();

        var ids = await Task.WhenAll(contents.Select(content => Task.Run(async () =>
        {
            var id = NewStagingId();
            await Store.CreateStagedAsync(id, None);
            for (var offset = 0; offset < content.Length; offset += chunk)
            {
                await Store.WriteStagedAsync(id, offset, TestStreams.NonSeekable(content[offset..(offset + chunk)]), null, chunk, None);
            }
            return id;
        })));

        for (var i = 0; i < writers; i++)
        {
            Assert.Equal(Digest.Compute(contents[i]), await Store.HashStagedAsync(ids[i], contents[i].Length, Digest.Sha256, None));
        }
    }

    [Fact]
    public async Task ConcurrentCommits_OfTheSameContent_LeaveOneBlob_AndNoStagedObjects()
    {
        var content = TestStreams.RandomBytes(200_000, 60);
        var digest = Digest.Compute(content);
        var ids = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => StageAsync(content)));

        await Task.WhenAll(ids.Select(id => Task.Run(() => Store.CommitStagedAsync(id, digest, None))));

        Assert.Equal(content, await ReadBlobAsync(digest));
        Assert.Single(await ListBlobsAsync());
        Assert.Empty(await ListStagedAsync());
    }

    [Fact]
    public async Task CheckWritable_Succeeds_OnAHealthyStore_AndLeavesNothingListed()
    {
        await Store.CheckWritableAsync(None);
        Assert.Empty(await ListStagedAsync());
        Assert.Empty(await ListBlobsAsync());
    }
}
