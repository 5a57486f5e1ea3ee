using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Grains;
using Nscr.Grains.Gc;
using Orleans.Configuration;

namespace Nscr.Silo;

public static partial class GarbageCollection
{
    private const int ScheduleAttempts = 5;

    /// <summary>
    /// Gives the GC grain its settings and registers its reminder with the configured interval once the silo has
    /// started (registering again only updates it).
    /// </summary>
    public static ISiloBuilder AddNscrGarbageCollection(this ISiloBuilder silo, GcOptions options)
    {
        silo.Services.AddSingleton(options);
        silo.Configure<ReminderOptions>(o =>
        {
            if (options.Interval < o.MinimumReminderPeriod) o.MinimumReminderPeriod = options.Interval;
        });
        silo.AddStartupTask((services, cancellation) => ScheduleAsync(services, cancellation));
        return silo;
    }

    /// <summary>
    /// A reminder table that is briefly unavailable must not stop the registry from starting: retry, then go on without
    /// scheduled cycles (on-demand ones still work) and say so.
    /// </summary>
    private static async Task ScheduleAsync(IServiceProvider services, CancellationToken cancellation)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GarbageCollection).FullName!);
        var collector = services.GetRequiredService<IGrainFactory>().GetGrain<IGarbageCollectorGrain>(0);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await collector.ScheduleAsync();
                return;
            }
            catch (Exception e) when (attempt < ScheduleAttempts && !cancellation.IsCancellationRequested)
            {
                ScheduleRetry(logger, e, attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellation);
            }
            catch (Exception e)
            {
                ScheduleFailed(logger, e);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Could not schedule garbage collection (attempt {Attempt}); retrying")]
    private static partial void ScheduleRetry(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Could not schedule garbage collection; cycles run only on demand (POST /api/gc)")]
    private static partial void ScheduleFailed(ILogger logger, Exception exception);
}
