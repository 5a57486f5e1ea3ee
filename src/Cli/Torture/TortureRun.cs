using Nscr.Cli.CommandLine;
using Nscr.Cli.Torture.Content;
using Nscr.Cli.Torture.Gc;
using Nscr.Cli.Torture.Http;
using Nscr.Cli.Torture.Report;
using Nscr.Cli.Torture.Workers;

namespace Nscr.Cli.Torture;

/// <summary>One torture run: workers and the GC loop side by side for the duration, a final verification by each
/// worker, then the cleanup. Progress lines go to <c>progress</c>; the summary is returned.</summary>
public static class TortureRun
{
    public static async Task<TortureSummary> RunAsync(TortureSettings settings, TextWriter progress, CancellationToken abort)
    {
        var stats = new TortureStats();
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = System.Net.DecompressionMethods.None };
        using var workerHttp = new HttpClient(handler, disposeHandler: false) { BaseAddress = settings.Url, Timeout = settings.RequestTimeout };
        using var adminHttp = new HttpClient(handler, disposeHandler: false) { BaseAddress = settings.Url, Timeout = settings.GcRequestTimeout };
        if (settings.Username is not null)
        {
            var basic = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{settings.Username}:{settings.Password}")));
            workerHttp.DefaultRequestHeaders.Authorization = basic;
            adminHttp.DefaultRequestHeaders.Authorization = basic;
        }
        var oci = new OciClient(new RegistryHttp(workerHttp, stats));
        var admin = new AdminClient(new RegistryHttp(adminHttp, stats));
        var bases = new BaseLayers(settings.Seed);
        var hints = new MountHints();
        var ledger = settings.RunGc ? new GcLedger() : null;
        // Repository names are new for every run, so runs against a long-lived registry do not meet.
        var prefix = $"torture/{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8]}";
        progress.WriteLine($"nscr torture: {settings.Url}, {settings.Workers} workers for {Durations.Format(settings.Duration)}, seed {settings.Seed}, repositories {prefix}/w*/r*");

        var workers = Enumerable.Range(0, settings.Workers)
            .Select(i => new Worker(i, prefix, oci, stats, settings, bases, hints, ledger))
            .ToList();
        var gc = new GcLoop(admin, stats, ledger ?? new GcLedger(), new Random(unchecked(settings.Seed * 7919)));

        using var stopWorkers = new CancellationTokenSource(settings.Duration);
        using var stopGc = new CancellationTokenSource();
        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var progressTask = ReportProgressAsync(stats, settings.ProgressInterval, progress, stopProgress.Token);
        var gcTask = settings.RunGc ? RunGcLoopAsync(gc, stopGc.Token, stopWorkers, abort) : Task.CompletedTask;
        await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(stopWorkers.Token, abort), CancellationToken.None)));
        progress.WriteLine($"[{stats.Elapsed.TotalSeconds,6:F0}s] workers done (final verification included); stopping the GC loop");
        await stopGc.CancelAsync();
        await gcTask;

        CleanupSummary? cleanup = null;
        if (settings.RunGc && !abort.IsCancellationRequested)
        {
            progress.WriteLine($"[{stats.Elapsed.TotalSeconds,6:F0}s] deleting every repository, then one GC cycle");
            var repositories = workers.SelectMany(w => w.Repositories).ToList();
            try
            {
                cleanup = await new Cleanup(admin, oci, gc, stats, settings).RunAsync(repositories, abort);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
            }
        }
        await stopProgress.CancelAsync();
        await progressTask;
        return TortureSummary.From(settings, stats, cleanup, abort.IsCancellationRequested);
    }

    /// <summary>The GC loop ends before it is told to only on a failure (no GC API, a 5xx): the run cannot pass any
    /// more, so the workers stop early (after their final verification) instead of running out the duration.</summary>
    private static async Task RunGcLoopAsync(GcLoop gc, CancellationToken stop, CancellationTokenSource stopWorkers, CancellationToken abort)
    {
        await Task.Run(() => gc.RunAsync(stop, abort), CancellationToken.None);
        if (!stop.IsCancellationRequested) await stopWorkers.CancelAsync();
    }

    private static async Task ReportProgressAsync(TortureStats stats, TimeSpan interval, TextWriter progress, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var gc = stats.Gc;
                progress.WriteLine(
                    $"[{stats.Elapsed.TotalSeconds,6:F0}s] {stats.TotalOperations} operations, {stats.Requests} requests, " +
                    $"{gc.Cycles} GC cycles ({gc.DeletedBlobs} blobs deleted), {stats.TotalRetries} retries, {stats.FailureCount} failures");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
