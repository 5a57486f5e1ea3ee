using System.Diagnostics.Metrics;
using Nscr.Gateway.Api;
using Nscr.Gateway.Logging;
using Nscr.Grains;

namespace Nscr.Gateway.Observability;

/// <summary>
/// Stored blobs, bytes and repositories as observable gauges. A scrape never waits for storage: it reports the last
/// figures and, when they are older than <see cref="MetricsOptions.StorageRefreshSeconds"/>, starts one recomputation
/// in the background (the blob rows and the repositories' counts, see <see cref="RegistryFigures"/>), whose result the
/// next scrape shows. The gauges are
/// process-wide (see <see cref="RegistryMetrics"/>) and report every live host's figures (one, outside tests).
/// </summary>
public sealed class StorageGauges : IDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<StorageGauges, byte> Live = new();

    static StorageGauges()
    {
        RegistryMetrics.Meter.CreateObservableGauge("nscr.storage.blobs", () => ObserveAll(f => f.Blobs), "{blob}", "Blobs (layers, configs, manifests) in the blob store");
        RegistryMetrics.Meter.CreateObservableGauge("nscr.storage.bytes", () => ObserveAll(f => f.Bytes), "By", "Bytes of the blobs in the blob store");
        RegistryMetrics.Meter.CreateObservableGauge("nscr.repositories", () => ObserveAll(f => f.Repositories), "{repository}", "Repositories in the catalog");
    }

    private readonly RegistryFigures figures;
    private readonly IGrainFactory grains;
    private readonly TimeProvider time;
    private readonly TimeSpan refresh;
    private readonly ILogger<StorageGauges> logger;
    private Figures? last;
    private long computedAt;
    private int computing;

    public StorageGauges(RegistryFigures figures, IGrainFactory grains, MetricsOptions options, TimeProvider time, ILogger<StorageGauges> logger)
    {
        this.figures = figures;
        this.grains = grains;
        this.time = time;
        this.logger = logger;
        refresh = TimeSpan.FromSeconds(options.StorageRefreshSeconds);
        Live.TryAdd(this, 0);
    }

    public void Dispose() => Live.TryRemove(this, out _);

    private static IEnumerable<Measurement<long>> ObserveAll(Func<Figures, long> pick) => Live.Keys.SelectMany(g => g.Observe(pick)).ToList();

    private IEnumerable<Measurement<long>> Observe(Func<Figures, long> pick)
    {
        var stale = Volatile.Read(ref last) is null || time.GetElapsedTime(Volatile.Read(ref computedAt)) >= refresh;
        if (stale && Interlocked.CompareExchange(ref computing, 1, 0) == 0)
        {
            _ = Task.Run(ComputeAsync);
        }
        return Volatile.Read(ref last) is { } figures ? [new Measurement<long>(pick(figures))] : [];
    }

    private async Task ComputeAsync()
    {
        try
        {
            var stored = (await figures.Stored.TakeAsync(refresh, CancellationToken.None)).Value;
            var counts = await grains.GetGrain<ICatalogGrain>(0).CountAsync();
            Volatile.Write(ref computedAt, time.GetTimestamp());
            Volatile.Write(ref last, new Figures(stored.Blobs, stored.Bytes, counts.Repositories));
        }
        catch (Exception e)
        {
            Log.StorageMetricsFailed(logger, e);
        }
        finally
        {
            Volatile.Write(ref computing, 0);
        }
    }

    private sealed record Figures(long Blobs, long Bytes, long Repositories);
}
