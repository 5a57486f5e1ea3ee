namespace Nscr.Gateway.Api;

/// <summary>A figure and when its computation started.</summary>
public sealed record Taken<T>(T Value, DateTimeOffset TakenAt);

/// <summary>
/// A figure whose query is not free (a pass over the blob rows, a listing of the staged uploads), shared by the callers
/// that want it at once: at most one computation runs; callers that arrive while it runs share the next one, started
/// when it ends, so no caller gets figures taken before it asked, unless it accepts figures up to some age (a status
/// poll), then it gets the last ones or the running computation when they are that recent.
/// </summary>
public sealed class SharedFigure<T>(Func<Task<T>> compute, TimeProvider time)
{
    private readonly Lock gate = new();
    private Task<Taken<T>>? running;
    private DateTimeOffset runningSince;
    private Task<Taken<T>>? queued;
    private Taken<T>? last;
    private long computed;

    /// <summary>How many computations this figure has started (for tests of the sharing).</summary>
    public long Computed => Interlocked.Read(ref computed);

    public Task<Taken<T>> TakeAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (maxAge > TimeSpan.Zero && last is { } recent && now - recent.TakenAt <= maxAge) return Task.FromResult(recent);
            if (running is null) return (running = StartShared()).WaitAsync(cancellationToken);
            if (maxAge > TimeSpan.Zero && now - runningSince <= maxAge) return running.WaitAsync(cancellationToken);
            queued ??= AfterRunningAsync(running);
            return queued.WaitAsync(cancellationToken);
        }
    }

    private async Task<Taken<T>> AfterRunningAsync(Task<Taken<T>> previous)
    {
        // Always continues later, outside the caller's lock, so the caller has stored this task as queued before it is
        // cleared below; a failure of the previous computation was its own callers' (this one is taken afresh).
        await ((Task)previous).ConfigureAwait(ConfigureAwaitOptions.ForceYielding | ConfigureAwaitOptions.SuppressThrowing);
        Task<Taken<T>> mine;
        lock (gate)
        {
            mine = StartShared();
            running = mine;
            queued = null;
        }
        return await mine;
    }

    /// <summary>Starts a computation no single caller can cancel (others wait for it too); it ends by clearing itself.</summary>
    private Task<Taken<T>> StartShared()
    {
        Interlocked.Increment(ref computed);
        runningSince = time.GetUtcNow();
        var computation = ComputeAsync(runningSince);
        _ = computation.ContinueWith(done =>
        {
            lock (gate)
            {
                if (done.IsCompletedSuccessfully && (last is null || last.TakenAt <= done.Result.TakenAt)) last = done.Result;
                if (ReferenceEquals(running, done)) running = null;
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return computation;
    }

    private async Task<Taken<T>> ComputeAsync(DateTimeOffset startedAt) => new(await compute(), startedAt);
}
