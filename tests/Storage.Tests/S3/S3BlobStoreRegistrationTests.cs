using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nscr.Storage.FileSystem;
using Nscr.Storage.S3;
using Nscr.Storage.Tests.FileSystem;

namespace Nscr.Storage.Tests.S3;

public sealed class S3BlobStoreRegistrationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(s => $"{S3Options.Section}:{s.Key}", s => (string?)s.Value))
            .Build();
        return new ServiceCollection().AddLogging().AddNscrBlobStore(configuration, _temp.Path).BuildServiceProvider();
    }

    [Fact]
    public void WithoutABucket_TheFileSystemStoreIsUsed()
    {
        using var provider = Build(("Endpoint", "http://127.0.0.1:1"));
        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<FileSystemBlobStore>(provider.GetRequiredService<IBlobStore>());
    }

    [Fact]
    public void WithABucket_TheS3StoreIsUsed_OneInstance()
    {
        using var provider = Build(("Bucket", "registry"), ("Endpoint", "http://127.0.0.1:1"), ("PathStyle", "true"),
            ("AccessKey", "id"), ("SecretKey", "secret"), ("Prefix", "team/a"));
        provider.GetRequiredService<IStartupValidator>().Validate();

        var store = provider.GetRequiredService<IBlobStore>();
        Assert.IsType<S3BlobStore>(store);
        Assert.Same(store, provider.GetRequiredService<IBlobStore>());
        Assert.Null(store.TryGetLocalPath(Oci.Digest.Compute([1])));
        Assert.Equal("team/a/", provider.GetRequiredService<IOptions<S3Options>>().Value.KeyPrefix);
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "blobs")));
    }

    [Theory]
    [InlineData("Endpoint", "not a url", "Endpoint")]
    [InlineData("Endpoint", "ftp://host", "Endpoint")]
    [InlineData("AccessKey", "only-the-id", "AccessKey and SecretKey")]
    [InlineData("Prefix", "../up", "Prefix")]
    [InlineData("Region", "", "Region")]
    public void StartUpValidation_NamesTheBadSetting(string key, string value, string expected)
    {
        using var provider = Build(("Bucket", "registry"), (key, value));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void StartUpValidation_RejectsAnInvalidBucketName_AndNeverEchoesTheSecret()
    {
        using var provider = Build(("Bucket", "Not_A_Bucket"), ("SecretKey", "very-secret-value"));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Bucket", error.Message);
        Assert.DoesNotContain("very-secret-value", error.Message);
    }
}
