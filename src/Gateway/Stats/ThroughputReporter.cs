using Nscr.Gateway.Logging;
using Nscr.Grains;

namespace Nscr.Gateway.Stats;

/// <summary>
/// Just after every second boundary, sends the second that ended to <see cref="IStatsGrain"/> (nothing when it was
/// idle). Seconds that could not be sent (the cluster unavailable) are kept and sent with the next ones, up to
/// <see cref="MaxPending"/>. On shutdown the current partial second is sent too: hosted services stop in reverse order
/// of registration, so the web server (added last, at Build) has drained its requests and Orleans (added before this)
/// still runs.
/// </summary>
public sealed class ThroughputReporter(
    ThroughputRecorder recorder,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<ThroughputReporter> logger) : BackgroundService
{
    public const int MaxPending = 300;

    /// <summary>Past the boundary, so a second is taken after it ended rather than a little before.</summary>
    private static readonly TimeSpan AfterBoundary = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan FinalReportTimeout = TimeSpan.FromSeconds(3);

    private readonly List<ThroughputBucket> pending = [];
    private bool failing;

    private IStatsGrain Stats => grains.GetGrain<IStatsGrain>(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 1) + AfterBoundary;
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await ReportAsync(time.GetUtcNow().ToUnixTimeSeconds() - 1, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FinalReportTimeout);
        await ReportAsync(time.GetUtcNow().ToUnixTimeSeconds(), timeout.Token);
    }

    private async Task ReportAsync(long second, CancellationToken cancellationToken)
    {
        if (recorder.Take(second) is { } bucket) pending.Add(bucket);
        if (pending.Count == 0) return;
        if (pending.Count > MaxPending) pending.RemoveRange(0, pending.Count - MaxPending);
        try
        {
            await Stats.RecordAsync(pending.ToArray()).WaitAsync(cancellationToken);
            pending.Clear();
            if (failing) Log.ThroughputReportRecovered(logger);
            failing = false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!failing) Log.ThroughputReportFailed(logger, e, pending.Count);
            failing = true;
        }
        catch (OperationCanceledException)
        {
            // Shutting down with the cluster gone: these seconds are lost.
        }
    }
}
