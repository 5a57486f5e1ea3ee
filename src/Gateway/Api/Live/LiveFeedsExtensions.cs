using Microsoft.Extensions.DependencyInjection.Extensions;
using Nscr.Gateway.Events;
using Nscr.Gateway.Webhooks;
using Nscr.Grains.Gc;
using Nscr.Silo.Configuration;

namespace Nscr.Gateway.Api.Live;

/// <summary>The live log feed, the registry events (feed, webhooks, cluster relay) and their endpoints under /api.</summary>
public static class LiveFeedsExtensions
{
    public static WebApplicationBuilder AddNscrLiveFeeds(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<LiveLogProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, LiveLogProvider>(s => s.GetRequiredService<LiveLogProvider>()));
        // Only a cluster has other gateways to tell: the relay idles in embedded mode.
        services.AddSingleton(s => new RegistryEventSource(
            s.GetRequiredService<TimeProvider>(),
            s.GetRequiredService<WebhookPublisher>(),
            relayed: s.GetRequiredService<NscrClusterOptions>().IsCluster));
        services.AddSingleton<IGcCycleObserver>(s => s.GetRequiredService<RegistryEventSource>());
        services.AddHostedService<RegistryEventRelay>();
        services.AddSingleton<LogsEndpoint>().AddSingleton<EventsEndpoint>();
        return builder;
    }

    public static void MapNscrLiveFeeds(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LiveFeedsExtensions).FullName!);
        var logs = services.GetRequiredService<LogsEndpoint>();
        var events = services.GetRequiredService<EventsEndpoint>();
        app.MapGet("/api/logs", ApiEndpoints.Guarded(logs.ListAsync, logger));
        app.MapGet("/api/logs/stream", ApiEndpoints.Guarded(logs.StreamAsync, logger));
        app.MapGet("/api/events", ApiEndpoints.Guarded(events.ListAsync, logger));
        app.MapGet("/api/events/stream", ApiEndpoints.Guarded(events.StreamAsync, logger));
    }
}
