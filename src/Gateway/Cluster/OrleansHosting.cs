using Nscr.Silo;
using Nscr.Silo.Configuration;
using Orleans.Dashboard;

namespace Nscr.Gateway.Cluster;

/// <summary>
/// How a registry process joins Orleans: embedded (a co-hosted single silo on SQLite), a cluster node (a co-hosted
/// silo on PostgreSQL) or a pure gateway (an Orleans client of the cluster's silos), chosen by NSCR_POSTGRES and
/// NSCR_ROLE and validated before anything starts.
/// </summary>
public static class OrleansHosting
{
    public static NscrClusterOptions AddNscrOrleans(this WebApplicationBuilder builder, string dataDir)
    {
        var cluster = ClusterSettings.Read(builder.Configuration);
        builder.Services.AddSingleton(cluster);
        var gc = GcSettings.Read(builder.Configuration);
        if (cluster.IsPureGateway)
        {
            builder.UseOrleansClient(client => client.UseNscrCluster(cluster));
        }
        else if (cluster.IsCluster)
        {
            builder.UseOrleans(silo => silo.UseNscrCluster(cluster).AddNscrGarbageCollection(gc));
        }
        else
        {
            builder.UseOrleans(silo =>
            {
                silo.UseNscrEmbedded(dataDir, cluster.SiloPort).AddNscrGarbageCollection(gc);
                if (cluster.DashboardEnabled) silo.AddDashboard();
            });
        }
        return cluster;
    }

    /// <summary>The Orleans dashboard at /dashboard (access control is the auth layer's, by path).</summary>
    public static void MapNscrDashboard(this WebApplication app)
    {
        if (app.Services.GetRequiredService<NscrClusterOptions>().DashboardEnabled) app.MapOrleansDashboard(routePrefix: "/dashboard");
    }
}
