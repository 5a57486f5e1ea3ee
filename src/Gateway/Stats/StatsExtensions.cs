namespace Nscr.Gateway.Stats;

/// <summary>Throughput recording in this process: the recorder requests feed, the reporter that sends it on
/// and the feed of the cluster's seconds for the live stream.</summary>
public static class StatsExtensions
{
    public static IServiceCollection AddNscrThroughput(this IServiceCollection services) => services
        .AddSingleton<ThroughputRecorder>()
        .AddSingleton<ThroughputFeed>()
        .AddHostedService<ThroughputReporter>();
}
