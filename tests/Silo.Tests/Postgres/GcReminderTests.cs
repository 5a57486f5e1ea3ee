using Nscr.Grains;
using Nscr.Grains.Gc;
using Nscr.Silo.Tests.Sqlite;
using Nscr.Storage;

namespace Nscr.Silo.Tests.Postgres;

/// <summary>The GC's reminder runs one cycle per interval for the whole cluster, not one per silo.</summary>
public sealed class GcReminderTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly TempDataDir shared = new();

    public void Dispose() => shared.Dispose();

    [Fact]
    public async Task Three_silos_run_one_scheduled_cycle_per_interval()
    {
        var clusterId = "gc-once";
        var gc = new GcOptions { Interval = Interval, Grace = TimeSpan.Zero };
        var silos = new List<ClusterTestSilo>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                silos.Add(await ClusterTestSilo.StartSiloAsync(ClusterTestSilo.Options(database.ConnectionString, clusterId),
                    (services, silo) =>
                    {
                        services.AddFileSystemBlobStore(shared.Path);
                        silo.AddNscrGarbageCollection(gc);
                    }));
            }
            var collector = silos[0].Grains.GetGrain<IGarbageCollectorGrain>(0);
            var first = await Poll.UntilAsync(() => ScheduledCyclesAsync(collector), n => n >= 1, TimeSpan.FromSeconds(30));
            Assert.True(first >= 1, "no scheduled cycle ran");

            var started = DateTime.UtcNow;
            await Task.Delay(Interval * 4); // observing the rate of the reminder is the point of this test
            var elapsed = DateTime.UtcNow - started;
            var cycles = await ScheduledCyclesAsync(collector) - first;

            // One reminder for the cluster: at most one cycle per interval (plus one at an edge); one per silo would
            // be three times as many.
            var perInterval = elapsed / Interval;
            Assert.InRange(cycles, 1, (int)Math.Ceiling(perInterval) + 1);
        }
        finally
        {
            foreach (var silo in silos) await silo.DisposeAsync();
        }
    }

    private static async Task<int> ScheduledCyclesAsync(IGarbageCollectorGrain collector)
    {
        var status = await collector.GetStatusAsync();
        return status.History.Count(r => r.Trigger == "reminder") + (status.Running?.Trigger == "reminder" ? 1 : 0);
    }
}
