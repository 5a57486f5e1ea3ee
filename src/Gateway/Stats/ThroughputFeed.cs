using Nscr.Gateway.Api;
using Nscr.Gateway.Api.Live;
using Nscr.Gateway.Logging;
using Nscr.Grains;

namespace Nscr.Gateway.Stats;

/// <summary>
/// The cluster-wide seconds for <c>/api/throughput/stream</c>: one poller per process asks <see cref="IStatsGrain"/>
/// once a second for the newly settled seconds (all-zero ones included) and appends them to one <see cref="LiveFeed{T}"/>
/// every stream reads. The poller runs only while streams are open, and a while after the last one closes (so a
/// reconnecting browser resumes without a gap); it starts with <see cref="StartBacklogSeconds"/> of past seconds, which
/// a new stream can ask for with <c>?backlog=N</c>.
/// </summary>
public sealed class ThroughputFeed(IGrainFactory grains, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ThroughputFeed> logger)
{
    public const string EventName = "throughput";

    public const int Capacity = 600;

    public const int StartBacklogSeconds = 120;

    private static readonly TimeSpan FirstPollWait = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan IdleStop = TimeSpan.FromMinutes(1);

    /// <summary>Past the second boundary: the grain's seconds settle on boundaries, gateways report just after them.</summary>
    private static readonly TimeSpan PollPhase = TimeSpan.FromMilliseconds(250);

    private readonly Lock gate = new();
    private int streams;
    private DateTimeOffset lastStreamEnded;
    private Task? poller;
    private TaskCompletionSource firstPoll = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long lastSecond;

    public LiveFeed<ThroughputBucket> Feed { get; } = new(Capacity);

    public async Task StreamAsync(HttpContext context)
    {
        Task started;
        lock (gate)
        {
            streams++;
            if (poller is null or { IsCompleted: true })
            {
                firstPoll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                poller = PollAsync(firstPoll, lifetime.ApplicationStopping);
            }
            started = firstPoll.Task;
        }
        try
        {
            // The backlog a new poller fetches is history, not news: a live-only stream starts after it.
            try
            {
                await started.WaitAsync(FirstPollWait, time, context.RequestAborted);
            }
            catch (TimeoutException)
            {
                // The grain is slow to answer: stream without waiting for the backlog.
            }
            await ServerSentEvents.StreamAsync(context, Feed, _ => EventName, ThroughputJson.WriteBucket);
        }
        finally
        {
            lock (gate)
            {
                streams--;
                lastStreamEnded = time.GetUtcNow();
            }
        }
    }

    private async Task PollAsync(TaskCompletionSource firstPoll, CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            await PollLoopAsync(firstPoll, stopping);
        }
        finally
        {
            firstPoll.TrySetResult();
        }
    }

    private async Task PollLoopAsync(TaskCompletionSource firstPoll, CancellationToken stopping)
    {
        var failing = false;
        while (!stopping.IsCancellationRequested)
        {
            lock (gate)
            {
                // Under the lock, so a stream arriving now starts a new poller rather than counting on this one.
                if (streams == 0 && time.GetUtcNow() - lastStreamEnded > IdleStop)
                {
                    poller = null;
                    return;
                }
            }
            try
            {
                var after = lastSecond == 0 ? time.GetUtcNow().ToUnixTimeSeconds() - StartBacklogSeconds : lastSecond;
                var live = await grains.GetGrain<IStatsGrain>(0).GetLiveAsync(after).WaitAsync(stopping);
                foreach (var second in live.Buckets)
                {
                    Feed.Append(second);
                    lastSecond = second.Start;
                }
                failing = false;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!failing) Log.ThroughputPollFailed(logger, e);
                failing = true;
            }
            firstPoll.TrySetResult();
            var now = time.GetUtcNow();
            var next = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 1) + PollPhase;
            try
            {
                await Task.Delay(next - now, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
