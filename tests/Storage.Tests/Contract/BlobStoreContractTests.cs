using System.Security.Cryptography;
using Nscr.Oci;

namespace Nscr.Storage.Tests.Contract;

/// <summary>
/// What every <see cref="IBlobStore"/> must do. An implementation's test class inherits this and says how to
/// create (and clean up) a fresh, empty store for each test.
/// </summary>
public abstract partial class BlobStoreContractTests : IAsyncLifetime
{
    protected static readonly CancellationToken None = CancellationToken.None;

    protected IBlobStore Store { get; private set; } = null!;

    /// <summary>A new, empty store; called once per test.</summary>
    protected abstract Task<IBlobStore> CreateStoreAsync();

    /// <summary>Removes whatever the test's store left behind.</summary>
    protected abstract Task DisposeStoreAsync();

    async Task IAsyncLifetime.InitializeAsync() => Store = await CreateStoreAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeStoreAsync();

    protected static string NewStagingId() => Guid.NewGuid().ToString("N");

    protected async Task<string> StageAsync(byte[] content)
    {
        var id = NewStagingId();
        await Store.CreateStagedAsync(id, None);
        await Store.WriteStagedAsync(id, 0, TestStreams.NonSeekable(content), null, long.MaxValue, None);
        return id;
    }

    protected async Task<Digest> CommitAsync(byte[] content)
    {
        var id = await StageAsync(content);
        var digest = Digest.Compute(content);
        await Store.CommitStagedAsync(id, digest, None);
        return digest;
    }

    protected async Task<byte[]> ReadBlobAsync(Digest digest, long offset = 0)
    {
        await using var stream = await Store.OpenReadAsync(digest, offset, None);
        Assert.NotNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected async Task<List<StoredObject>> ListStagedAsync()
    {
        var list = new List<StoredObject>();
        await foreach (var staged in Store.ListStagedAsync(None)) list.Add(staged);
        return list;
    }

    protected async Task<List<StoredObject>> ListBlobsAsync()
    {
        var list = new List<StoredObject>();
        await foreach (var blob in Store.ListBlobsAsync(None)) list.Add(blob);
        return list;
    }

    // ---- creating and writing staged objects ----

    [Fact]
    public async Task CreateStaged_MakesAnEmptyObject_AndUnknownIdsHaveNoLength()
    {
        var id = NewStagingId();
        Assert.Null(await Store.GetStagedLengthAsync(id, None));
        await Store.CreateStagedAsync(id, None);
        Assert.Equal(0, await Store.GetStagedLengthAsync(id, None));
    }

    [Fact]
    public async Task CreateStaged_ReplacesALeftover()
    {
        var id = await StageAsync(TestStreams.RandomBytes(1000, 1));
        await Store.CreateStagedAsync(id, None);
        Assert.Equal(0, await Store.GetStagedLengthAsync(id, None));
    }

    [Fact]
    public async Task WriteStaged_ReturnsTheNewLength_AndAppendsAtTheOffset()
    {
        var content = TestStreams.RandomBytes(300_000, 2);
        var id = NewStagingId();
        await Store.CreateStagedAsync(id, None);

        Assert.Equal(100_000, await Store.WriteStagedAsync(id, 0, TestStreams.NonSeekable(content[..100_000]), null, long.MaxValue, None));
        Assert.Equal(300_000, await Store.WriteStagedAsync(id, 100_000, TestStreams.NonSeekable(content[100_000..]), null, long.MaxValue, None));

        Assert.Equal(300_000, await Store.GetStagedLengthAsync(id, None));
        Assert.Equal(Digest.Compute(content), await Store.HashStagedAsync(id, content.Length, Digest.Sha256, None));
    }

    [Fact]
    public async Task WriteStaged_DiscardsEverythingAfterTheOffset()
    {
        var first = TestStreams.RandomBytes(5000, 3);
        var replacement = TestStreams.RandomBytes(100, 4);
        var id = await StageAsync(first);

        var length = await Store.WriteStagedAsync(id, 1000, TestStreams.NonSeekable(replacement), null, long.MaxValue, None);

        Assert.Equal(1100, length);
        Assert.Equal(1100, await Store.GetStagedLengthAsync(id, None));
        Assert.Equal(Digest.Compute([.. first[..1000], .. replacement]), await Store.HashStagedAsync(id, 1100, Digest.Sha256, None));
    }

    [Fact]
    public async Task WriteStaged_OfNothing_AtAnOffset_TruncatesThere()
    {
        var content = TestStreams.RandomBytes(4000, 5);
        var id = await StageAsync(content);

        Assert.Equal(1500, await Store.WriteStagedAsync(id, 1500, TestStreams.NonSeekable([]), null, long.MaxValue, None));

        Assert.Equal(Digest.Compute(content[..1500]), await Store.HashStagedAsync(id, 1500, Digest.Sha256, None));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public async Task WriteStaged_RejectsAnOffsetOutsideTheObject(long offset)
    {
        var id = await StageAsync(TestStreams.RandomBytes(10, 6));

        var error = await Assert.ThrowsAsync<OciException>(() =>
            Store.WriteStagedAsync(id, offset, TestStreams.NonSeekable([1, 2, 3]), null, long.MaxValue, None));

        Assert.Equal(OciErrorCode.RangeInvalid, error.Code);
        Assert.Equal(10, await Store.GetStagedLengthAsync(id, None));
    }

    [Fact]
    public async Task WriteStaged_ToAnUnknownId_IsBlobUploadUnknown()
    {
        var error = await Assert.ThrowsAsync<OciException>(() =>
            Store.WriteStagedAsync(NewStagingId(), 0, TestStreams.NonSeekable([1]), null, long.MaxValue, None));
        Assert.Equal(OciErrorCode.BlobUploadUnknown, error.Code);
    }

    [Fact]
    public async Task WriteStaged_FeedsEveryByteToTheHasher_AcrossWrites()
    {
        var content = TestStreams.RandomBytes(3 * 1024 * 1024 + 17, 7);
        var id = NewStagingId();
        await Store.CreateStagedAsync(id, None);
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        var split = 1024 * 1024 + 5;
        await Store.WriteStagedAsync(id, 0, TestStreams.NonSeekable(content[..split]), hasher, long.MaxValue, None);
        await Store.WriteStagedAsync(id, split, TestStreams.NonSeekable(content[split..]), hasher, long.MaxValue, None);

        Assert.Equal(SHA256.HashData(content), hasher.GetHashAndReset());
    }

    [Fact]
    public async Task WriteStaged_Whole_CreatesOrReplacesTheObject()
    {
        var id = await StageAsync(TestStreams.RandomBytes(9000, 8));
        var manifest = """{"schemaVersion":2}"""u8.ToArray();

        await Store.WriteStagedAsync(id, manifest, None);
        var fresh = NewStagingId();
        await Store.WriteStagedAsync(fresh, manifest, None);

        Assert.Equal(manifest.Length, await Store.GetStagedLengthAsync(id, None));
        Assert.Equal(Digest.Compute(manifest), await Store.HashStagedAsync(fresh, manifest.Length, Digest.Sha256, None));
    }

    // ---- limits and failures leave a consistent length ----

    [Fact]
    public async Task WriteStaged_AcceptsExactlyMaxBytes()
    {
        var id = await StageAsync(TestStreams.RandomBytes(10, 9));
        Assert.Equal(1010, await Store.WriteStagedAsync(id, 10, TestStreams.NonSeekable(new byte[1000]), null, 1000, None));
    }

    [Fact]
    public async Task WriteStaged_PastMaxBytes_IsSizeInvalid_AndKeepsTheLengthAtTheOffset()
    {
        var start = TestStreams.RandomBytes(1000, 10);
        var id = await StageAsync(start);

        var error = await Assert.ThrowsAsync<OciException>(() => Store.WriteStagedAsync(
            id, 1000, TestStreams.Generated(3 * 1024 * 1024, 11), null, 2 * 1024 * 1024, None));

        Assert.Equal(OciErrorCode.SizeInvalid, error.Code);
        Assert.Equal(1000, await Store.GetStagedLengthAsync(id, None));
        Assert.Equal(Digest.Compute(start), await Store.HashStagedAsync(id, 1000, Digest.Sha256, None));
    }

    [Fact]
    public async Task WriteStaged_WhenTheSourceFails_KeepsTheLengthAtTheOffset()
    {
        var id = await StageAsync(TestStreams.RandomBytes(500, 12));

        await Assert.ThrowsAsync<IOException>(() => Store.WriteStagedAsync(
            id, 500, TestStreams.FailingAfter(TestStreams.RandomBytes(3 * 1024 * 1024, 13)), null, long.MaxValue, None));

        Assert.Equal(500, await Store.GetStagedLengthAsync(id, None));
    }

    [Fact]
    public async Task WriteStaged_WhenCancelled_KeepsTheLengthAtTheOffset()
    {
        var id = await StageAsync(TestStreams.RandomBytes(500, 14));
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancellation = new CancellationTokenSource();

        var write = Store.WriteStagedAsync(id, 500, TestStreams.StallingAfter(TestStreams.RandomBytes(1500 * 1024, 15), drained), null, long.MaxValue, cancellation.Token);
        await drained.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.Equal(500, await Store.GetStagedLengthAsync(id, None));
    }
}
