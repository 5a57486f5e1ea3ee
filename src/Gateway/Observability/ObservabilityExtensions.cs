using Microsoft.Extensions.Logging.Console;
using Nscr.Gateway.Api.Live;
using Nscr.Gateway.Stats;
using Nscr.Gateway.Webhooks;
using Nscr.Grains.Gc;
using Nscr.Silo.Configuration;
using OpenTelemetry.Metrics;

namespace Nscr.Gateway.Observability;

/// <summary>Logs, metrics, health endpoints, webhooks and the live feeds: the two calls <see cref="Hosting.RegistryHost"/> makes.</summary>
public static class ObservabilityExtensions
{
    public static WebApplicationBuilder AddNscrObservability(this WebApplicationBuilder builder, string dataDir)
    {
        var configuration = builder.Configuration;
        var log = Hosting.ValidatedOptions.Read<LogOptions>(configuration, LogOptions.Section);
        var metrics = Hosting.ValidatedOptions.Read<MetricsOptions>(configuration, MetricsOptions.Section);
        ConfigureLogging(builder, log, configuration);
        builder.Services.AddSingleton(log).AddSingleton(metrics);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<RegistryMetrics>();
        builder.Services.AddSingleton<StorageGauges>();
        builder.Services.AddSingleton<IReadinessCheck, OrleansReadinessCheck>();
        // The database of the mode: SQLite embedded; PostgreSQL for nodes and pure gateways of a cluster.
        builder.Services.AddSingleton<IReadinessCheck>(services => services.GetRequiredService<NscrClusterOptions>() is { IsCluster: true } cluster
            ? new PostgresReadinessCheck(cluster.Postgres!)
            : new SqliteReadinessCheck(dataDir));
        builder.Services.AddSingleton<IReadinessCheck, BlobStoreReadinessCheck>();
        if (metrics.Enabled)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(meters => meters
                .AddMeter(RegistryMetrics.MeterName, GcMetrics.MeterName, "Microsoft.Orleans", "System.Runtime")
                .AddPrometheusExporter());
        }
        builder.AddNscrWebhooks();
        builder.Services.AddNscrThroughput();
        builder.AddNscrLiveFeeds();
        return builder;
    }

    public static void UseNscrObservability(this WebApplication app)
    {
        app.UseMiddleware<RequestTelemetry>();
        app.MapHealthEndpoints();
        if (app.Services.GetRequiredService<MetricsOptions>().Enabled)
        {
            app.Services.GetRequiredService<StorageGauges>();
            app.MapPrometheusScrapingEndpoint("/metrics");
        }
    }

    private static void ConfigureLogging(WebApplicationBuilder builder, LogOptions log, IConfiguration configuration)
    {
        // Only an explicit setting replaces appsettings.json's default level (tests and tools set their own).
        if (configuration[$"{LogOptions.Section}:Level"] is { Length: > 0 })
        {
            builder.Logging.AddFilter(null, log.Level);
        }
        // AddConsole registers its provider once (TryAddEnumerable): these only choose its formatter, and providers
        // added by the host's caller (tests capture logs that way) stay.
        if (log.Format == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                json.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.ColorBehavior = LoggerColorBehavior.Default;
            });
        }
    }
}
