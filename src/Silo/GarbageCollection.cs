using Microsoft.Extensions.DependencyInjection;
using Nscr.Grains;
using Nscr.Grains.Gc;
using Orleans.Configuration;

namespace Nscr.Silo;

public static class GarbageCollection
{
    /// <summary>
    /// Gives the GC grain its settings and makes sure its reminder is registered with the configured interval once the
    /// silo has started (registering again only updates it).
    /// </summary>
    public static ISiloBuilder AddNscrGarbageCollection(this ISiloBuilder silo, GcOptions options)
    {
        silo.Services.AddSingleton(options);
        silo.Configure<ReminderOptions>(o =>
        {
            if (options.Interval < o.MinimumReminderPeriod) o.MinimumReminderPeriod = options.Interval;
        });
        silo.AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IGarbageCollectorGrain>(0).ScheduleAsync());
        return silo;
    }
}
