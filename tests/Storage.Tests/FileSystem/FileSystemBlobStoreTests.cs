using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nscr.Oci;
using Nscr.Storage.FileSystem;
using Nscr.Storage.Tests.Contract;

namespace Nscr.Storage.Tests.FileSystem;

/// <summary>The contract suite on the local filesystem, plus what only a filesystem store promises (its layout).</summary>
public sealed class FileSystemBlobStoreTests : BlobStoreContractTests
{
    private readonly TempDirectory _root = new();

    protected override Task<IBlobStore> CreateStoreAsync() => Task.FromResult<IBlobStore>(NewStore());

    protected override Task DisposeStoreAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }

    private FileSystemBlobStore NewStore() =>
        new(Options.Create(new FileSystemBlobStoreOptions { RootDirectory = _root.Path }), NullLogger<FileSystemBlobStore>.Instance);

    [Fact]
    public async Task Blobs_AreFannedOutByTheFirstTwoHexDigits_AndStagedObjectsLiveInUploads()
    {
        var content = TestStreams.RandomBytes(42, 100);
        var id = await StageAsync(content);
        Assert.True(File.Exists(_root.Combine("uploads", id)));
        var digest = Digest.Compute(content);

        await Store.CommitStagedAsync(id, digest, None);

        var expected = _root.Combine("blobs", "sha256", digest.Hex[..2], digest.Hex);
        Assert.Equal(content, await File.ReadAllBytesAsync(expected));
        Assert.Equal(expected, Store.TryGetLocalPath(digest));
        Assert.False(File.Exists(_root.Combine("uploads", id)));
    }

    [Fact]
    public async Task ListBlobs_ReportsOrphanFiles_AndSkipsFilesNotNamedLikeTheirDigest()
    {
        var orphan = Digest.Compute([7, 7, 7]);
        var orphanPath = _root.Combine("blobs", "sha256", orphan.Hex[..2], orphan.Hex);
        Directory.CreateDirectory(Path.GetDirectoryName(orphanPath)!);
        await File.WriteAllBytesAsync(orphanPath, [7, 7, 7]);
        var other = Digest.Compute([8]).Hex;
        var misplaced = other[..2] == "00" ? "01" : "00";
        Directory.CreateDirectory(_root.Combine("blobs", "sha256", misplaced));
        Directory.CreateDirectory(_root.Combine("blobs", "md5", "ab"));
        foreach (var stray in new[]
                 {
                     _root.Combine("blobs", "sha256", orphan.Hex[..2], orphan.Hex + ".tmp"),
                     _root.Combine("blobs", "sha256", orphan.Hex[..2], orphan.Hex.ToUpperInvariant()),
                     _root.Combine("blobs", "sha256", misplaced, other),
                     _root.Combine("blobs", "md5", "ab", "ab" + new string('0', 30)),
                     _root.Combine("blobs", "stray"),
                 })
        {
            await File.WriteAllBytesAsync(stray, [1]);
        }

        var blobs = await ListBlobsAsync();

        var only = Assert.Single(blobs);
        Assert.Equal(new StoredObject(orphan.ToString(), 3, only.LastModified), only);
    }

    [Fact]
    public async Task ListStaged_SkipsFilesThatAreNotStagingIds()
    {
        await File.WriteAllBytesAsync(_root.Combine("uploads", "upload.tmp"), [1]);
        await File.WriteAllBytesAsync(_root.Combine("uploads", ".write-probe-x"), [1]);
        var id = await StageAsync([1, 2]);

        Assert.Equal(id, Assert.Single(await ListStagedAsync()).Name);
    }

    [Fact]
    public async Task InvalidStagingIds_CreateNothingAnywhere()
    {
        foreach (var id in new[] { "../escaped", "../../escaped", "a/b" })
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.WriteStagedAsync(id, new byte[] { 1 }, None));
        }

        Assert.Equal(["blobs", "uploads"], Directory.EnumerateFileSystemEntries(_root.Path).Select(Path.GetFileName).Order());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Combine("uploads")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root.Path)!, "escaped")));
    }

    [Fact]
    public async Task CheckWritable_Throws_WhenUploadsCannotBeWritten()
    {
        Directory.Delete(_root.Combine("uploads"));
        await File.WriteAllBytesAsync(_root.Combine("uploads"), [0]); // a file where the directory should be

        await Assert.ThrowsAnyAsync<IOException>(() => Store.CheckWritableAsync(None));
    }

    [Fact]
    public async Task StartUp_RemovesProbesLeftByACrash()
    {
        var probe = _root.Combine("uploads", ".write-probe-0123");
        await File.WriteAllBytesAsync(probe, [1]);

        _ = NewStore();

        Assert.False(File.Exists(probe));
    }

    [Fact]
    public async Task Commit_StampsTheBlobWithTheCommitTime()
    {
        var content = TestStreams.RandomBytes(10, 101);
        var id = await StageAsync(content);
        File.SetLastWriteTimeUtc(_root.Combine("uploads", id), DateTime.UtcNow.AddDays(-3));
        var digest = Digest.Compute(content);

        await Store.CommitStagedAsync(id, digest, None);

        var stat = await Store.StatAsync(digest, None);
        Assert.NotNull(stat);
        Assert.True(stat.LastModified > DateTimeOffset.UtcNow.AddMinutes(-5), $"last modified {stat.LastModified}");
    }
}
