using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Silo.Configuration;
using Nscr.Silo.Postgres;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Nscr.Silo;

/// <summary>
/// A pure gateway's Orleans client: finds the cluster's silos in PostgreSQL (the membership table's active silos with
/// a gateway port), refreshes that list often so silos that die or join are noticed within seconds, and keeps
/// retrying the first connection while no silo is up.
/// </summary>
public static class ClusterClient
{
    /// <summary>How often the gateway list is re-read from the membership table.</summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(5);

    public static IClientBuilder UseNscrCluster(this IClientBuilder client, NscrClusterOptions options)
    {
        var connectionString = options.Postgres ?? throw new ArgumentException("cluster mode needs a PostgreSQL connection string", nameof(options));
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresDatabase.AdoNetInvariant;
            o.ConnectionString = connectionString;
        });
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
        client.UseConnectionRetryFilter<ConnectRetry>();
        if (options.DashboardEnabled) client.AddDashboard();
        return client;
    }
}

/// <summary>Retries the first connection to the cluster until the process stops, saying why each time.</summary>
internal sealed partial class ConnectRetry(ILogger<ConnectRetry> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return false;
        Waiting(logger, exception.Message, Delay.TotalSeconds);
        await Task.Delay(Delay, cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "No silo of the cluster is reachable yet ({Reason}); retrying in {Seconds} s")]
    private static partial void Waiting(ILogger logger, string reason, double seconds);
}
