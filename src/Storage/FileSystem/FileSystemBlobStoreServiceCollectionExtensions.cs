using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Nscr.Storage.FileSystem;

namespace Nscr.Storage;

public static class FileSystemBlobStoreServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IBlobStore"/> as a singleton on the local filesystem under <paramref name="rootDirectory"/>, validated at start-up.</summary>
    public static IServiceCollection AddFileSystemBlobStore(this IServiceCollection services, string rootDirectory)
    {
        services.AddOptions<FileSystemBlobStoreOptions>()
            .Configure(options => options.RootDirectory = rootDirectory)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileSystemBlobStoreOptions>, FileSystemBlobStoreOptionsValidator>());
        services.AddSingleton<IBlobStore, FileSystemBlobStore>();
        return services;
    }
}
