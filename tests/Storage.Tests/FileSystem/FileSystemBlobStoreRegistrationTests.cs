using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nscr.Storage.FileSystem;

namespace Nscr.Storage.Tests.FileSystem;

public sealed class FileSystemBlobStoreRegistrationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static ServiceProvider Build(string rootDirectory) =>
        new ServiceCollection().AddLogging().AddFileSystemBlobStore(rootDirectory).BuildServiceProvider();

    [Fact]
    public void AddFileSystemBlobStore_RegistersOneStore_ThatCreatesItsDirectories()
    {
        var root = _temp.Combine("data");
        using var provider = Build(root);
        provider.GetRequiredService<IStartupValidator>().Validate();

        var store = provider.GetRequiredService<IBlobStore>();

        Assert.IsType<FileSystemBlobStore>(store);
        Assert.Same(store, provider.GetRequiredService<IBlobStore>());
        Assert.True(Directory.Exists(Path.Combine(root, "blobs")));
        Assert.True(Directory.Exists(Path.Combine(root, "uploads")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad\0path")]
    public void StartUpValidation_RejectsAMissingOrInvalidRoot(string root)
    {
        using var provider = Build(root);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("RootDirectory", error.Message);
    }

    [Fact]
    public void StartUpValidation_RejectsARootThatIsAFile()
    {
        var file = _temp.Combine("not-a-dir");
        File.WriteAllText(file, "x");
        using var provider = Build(file);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("is a file", error.Message);
    }
}
