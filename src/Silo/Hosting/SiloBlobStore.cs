using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nscr.Storage;

namespace Nscr.Silo.Hosting;

/// <summary>
/// The blob store of a standalone silo and of the migration target: the grains commit uploads and the GC deletes
/// blobs, so a silo needs the same store as the gateways (a shared directory, or S3 once configured).
/// </summary>
public static class SiloBlobStore
{
    public static IServiceCollection AddSiloBlobStore(this IServiceCollection services, IConfiguration configuration, string dataDir) =>
        services.AddFileSystemBlobStore(dataDir);
}
