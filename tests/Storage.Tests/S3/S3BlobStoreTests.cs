using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nscr.Storage.S3;
using Nscr.Storage.Tests.Contract;

namespace Nscr.Storage.Tests.S3;

/// <summary>The shared contract suite on S3 (s3rver on loopback); each test gets its own key prefix in one bucket.</summary>
public sealed partial class S3BlobStoreTests(S3rverProcess server) : BlobStoreContractTests, IClassFixture<S3rverProcess>
{
    private readonly string _prefix = $"t-{Guid.NewGuid():N}";
    private readonly List<S3BlobStore> _stores = [];

    protected override Task<IBlobStore> CreateStoreAsync() => Task.FromResult<IBlobStore>(NewStore());

    protected override Task DisposeStoreAsync()
    {
        foreach (var store in _stores) store.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Another store on the same prefix (another gateway process, as far as the bucket can tell). 5 MiB parts, the
    /// smallest S3 allows, so the multipart paths run with modest test data.
    /// </summary>
    private S3BlobStore NewStore(int listPageSize = 1000, bool partCopy = true)
    {
        var store = new S3BlobStore(Options.Create(OptionsFor(server, _prefix)), NullLogger<S3BlobStore>.Instance)
        {
            PartSize = (int)S3BlobStore.MinPartSize,
            ListPageSize = listPageSize,
            PartCopy = partCopy,
        };
        _stores.Add(store);
        return store;
    }

    public static S3Options OptionsFor(S3rverProcess server, string prefix) => new()
    {
        Endpoint = server.Endpoint,
        Bucket = S3rverProcess.Bucket,
        AccessKey = S3rverProcess.AccessKey,
        SecretKey = S3rverProcess.SecretKey,
        PathStyle = true,
        Prefix = prefix,
    };
}
