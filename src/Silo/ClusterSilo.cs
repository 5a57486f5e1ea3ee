using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Nscr.Grains;
using Nscr.Grains.Upgrade;
using Nscr.Metadata;
using Nscr.Silo.Configuration;
using Nscr.Silo.Postgres;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;
using Orleans.Storage;

namespace Nscr.Silo;

/// <summary>
/// A silo of a cluster: ADO.NET clustering, grain storage and reminders on PostgreSQL. Used by the standalone silo
/// host and by gateway processes in the node role.
/// </summary>
public static class ClusterSilo
{
    public static ISiloBuilder UseNscrCluster(this ISiloBuilder silo, NscrClusterOptions options)
    {
        var connectionString = options.Postgres ?? throw new ArgumentException("cluster mode needs a PostgreSQL connection string", nameof(options));
        // Before the providers start: they read their SQL from OrleansQuery when they initialise.
        PostgresDatabase.MigrateAsync(connectionString).GetAwaiter().GetResult();

        var address = IPAddress.Parse(options.AdvertisedAddress);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        silo.ConfigureEndpoints(address, PortOrFree(options.SiloPort), PortOrFree(options.GatewayPort),
            listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresDatabase.AdoNetInvariant;
            o.ConnectionString = connectionString;
        });
        silo.UseNscrPostgresState(connectionString);
        silo.UseNscrGrainLifetimes();
        // A killed silo's grains answer "unavailable" until the membership declares it dead; Orleans' defaults (three
        // missed 5 s probes) kept that window near 30 s, longer than registry clients retry. Two missed 3 s probes
        // still tolerate a long GC pause.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(3);
            o.NumMissedProbesLimit = 2;
        });
        silo.Services.TryAddSingleton(TimeProvider.System);
        // Every silo hosts the dashboard's grains, so a pure gateway's dashboard finds them wherever it connects.
        if (options.DashboardEnabled) silo.AddDashboard();
        return silo;
    }

    /// <summary>Grain state and reminders in PostgreSQL (the schema must be migrated); membership is configured apart.</summary>
    public static ISiloBuilder UseNscrPostgresState(this ISiloBuilder silo, string connectionString)
    {
        silo.AddAdoNetGrainStorage(StorageNames.Registry, (OptionsBuilder<AdoNetGrainStorageOptions> storage) => storage.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = PostgresDatabase.AdoNetInvariant;
            o.ConnectionString = connectionString;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            o.DeleteStateOnClear = true;
        }));
        silo.Services.AddSingleton<ILegacyStates>(services =>
            new PostgresLegacyStates(connectionString, services.GetRequiredService<IOptions<ClusterOptions>>()));
        silo.AddNscrMetadata(new MetadataDatabase(NpgsqlDataSource.Create(connectionString), SqlDialect.Postgres));
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = PostgresDatabase.AdoNetInvariant;
            o.ConnectionString = connectionString;
        });
        return silo;
    }

    internal static int PortOrFree(int port)
    {
        if (port != 0) return port;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
