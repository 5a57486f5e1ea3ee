using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Nscr.Storage.S3;

namespace Nscr.Storage;

public static class BlobStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the registry's <see cref="IBlobStore"/>: S3 when <c>Nscr:S3:Bucket</c> (NSCR_S3_BUCKET) is set,
    /// otherwise the filesystem under <paramref name="dataDir"/> (a shared path in a cluster).
    /// </summary>
    public static IServiceCollection AddNscrBlobStore(this IServiceCollection services, IConfiguration configuration, string dataDir)
    {
        var section = configuration.GetSection(S3Options.Section);
        return string.IsNullOrWhiteSpace(section[nameof(S3Options.Bucket)])
            ? services.AddFileSystemBlobStore(dataDir)
            : services.AddS3BlobStore(section);
    }

    /// <summary>Registers <see cref="IBlobStore"/> as a singleton on S3, bound to <paramref name="section"/> and validated at start-up.</summary>
    public static IServiceCollection AddS3BlobStore(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<S3Options>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<S3Options>, S3OptionsValidator>());
        services.AddSingleton<S3BlobStore>();
        services.AddSingleton<IBlobStore>(provider => provider.GetRequiredService<S3BlobStore>());
        return services;
    }
}
