using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Grains.Upgrade;
using Nscr.Metadata;
using Orleans;
using Orleans.Hosting;

namespace Nscr.Silo;

/// <summary>The metadata rows the grains write (one database per registry) and the start-up upgrade of the old format.</summary>
internal static class MetadataServices
{
    public static ISiloBuilder AddNscrMetadata(this ISiloBuilder builder, MetadataDatabase database)
    {
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(new RepositoryRows(database));
        builder.Services.AddSingleton(new CatalogRows(database));
        builder.Services.AddSingleton(services => new UsageRows(database, services.GetRequiredService<TimeProvider>()));
        var blobs = new BlobRows(database);
        builder.Services.AddSingleton(blobs);
        builder.Services.AddSingleton(new BlobTouches(blobs));
        builder.Services.AddSingleton<LegacyStateReader>();
        builder.AddStartupTask((services, cancellationToken) => LegacyStateUpgrade.RunAsync(
            services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<ILegacyStates>(), services.GetRequiredService<LegacyStateReader>(), services.GetRequiredService<RepositoryRows>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LegacyStateUpgrade)), cancellationToken));
        return builder;
    }
}
