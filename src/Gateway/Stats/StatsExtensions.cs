namespace Nscr.Gateway.Stats;

/// <summary>Throughput recording in this process: the recorder requests feed and the reporter that sends it on.</summary>
public static class StatsExtensions
{
    public static IServiceCollection AddNscrThroughput(this IServiceCollection services) => services
        .AddSingleton<ThroughputRecorder>()
        .AddHostedService<ThroughputReporter>();
}
