using Nscr.Cli.Torture;
using Xunit;

namespace Nscr.Cli.Tests.Torture;

public sealed class DataDirContentsTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("nscr-cli-data-").FullName;

    [Fact]
    public void EmptyDirectoriesHoldNoBytes()
    {
        Directory.CreateDirectory(Path.Combine(_dataDir, "blobs", "sha256", "ab"));
        Directory.CreateDirectory(Path.Combine(_dataDir, "uploads"));
        File.WriteAllText(Path.Combine(_dataDir, "nscr.db"), "the database is not a leftover");

        var contents = DataDirContents.Inspect(_dataDir);

        Assert.True(contents.IsEmpty);
        Assert.Equal(0, contents.Bytes);
    }

    [Fact]
    public void CountsEveryFileUnderBlobsAndUploads()
    {
        Directory.CreateDirectory(Path.Combine(_dataDir, "blobs", "sha256", "ab"));
        Directory.CreateDirectory(Path.Combine(_dataDir, "uploads"));
        File.WriteAllBytes(Path.Combine(_dataDir, "blobs", "sha256", "ab", "abcd"), new byte[10]);
        File.WriteAllBytes(Path.Combine(_dataDir, "uploads", "u1"), new byte[5]);
        File.WriteAllBytes(Path.Combine(_dataDir, "uploads", "u2"), new byte[1]);

        var contents = DataDirContents.Inspect(_dataDir);

        Assert.False(contents.IsEmpty);
        Assert.Equal(1, contents.BlobFiles);
        Assert.Equal(2, contents.UploadFiles);
        Assert.Equal(16, contents.Bytes);
        Assert.Contains(Path.Combine("blobs", "sha256", "ab", "abcd") + " (10 bytes)", contents.Sample);
    }

    [Fact]
    public void AMissingDataDirIsEmpty() => Assert.True(DataDirContents.Inspect(Path.Combine(_dataDir, "absent")).IsEmpty);

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);
}
