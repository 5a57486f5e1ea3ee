namespace Nscr.Gateway.Api.Live;

/// <summary>An item of a <see cref="LiveFeed{T}"/> and its id (1, 2, 3… per process).</summary>
public readonly record struct LiveItem<T>(long Id, T Value);

/// <summary>
/// A bounded in-memory ring of the most recent items, with increasing ids, that any number of readers follow at their
/// own pace. Readers wait on a task completed by the next append, so no thread is held per reader; appending never
/// blocks on readers and allocates a signal only when somebody is waiting.
/// </summary>
public sealed class LiveFeed<T>
{
    private readonly LiveItem<T>[] ring;
    private readonly Lock gate = new();
    private long lastId;
    private TaskCompletionSource? appended;

    public LiveFeed(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ring = new LiveItem<T>[capacity];
    }

    public int Capacity => ring.Length;

    public long LastId
    {
        get
        {
            lock (gate) return lastId;
        }
    }

    /// <summary>Adds <paramref name="value"/>, dropping the oldest item when full, and wakes the waiting readers.</summary>
    public long Append(T value) => Append(_ => value);

    /// <summary>
    /// Adds the value <paramref name="create"/> makes from the id it gets, for items that carry their own id (their
    /// JSON does); it runs under the feed's lock, so it must be quick and must not touch the feed.
    /// </summary>
    public long Append(Func<long, T> create)
    {
        TaskCompletionSource? waiters;
        long id;
        lock (gate)
        {
            id = lastId + 1;
            var value = create(id);
            lastId = id;
            ring[id % ring.Length] = new LiveItem<T>(id, value);
            waiters = appended;
            appended = null;
        }
        waiters?.TrySetResult();
        return id;
    }

    /// <summary>
    /// The items still held whose id is above <paramref name="id"/>, oldest first, at most <paramref name="max"/>.
    /// An id above <see cref="LastId"/> comes from before a restart (ids start again at 1): everything held is newer.
    /// </summary>
    public IReadOnlyList<LiveItem<T>> After(long id, int max = int.MaxValue)
    {
        lock (gate)
        {
            if (id > lastId) id = 0;
            var first = Math.Max(Math.Max(id, 0) + 1, lastId - ring.Length + 1);
            var count = (int)Math.Min(lastId - first + 1, max);
            if (count <= 0) return [];
            var items = new LiveItem<T>[count];
            for (var i = 0; i < count; i++) items[i] = ring[(first + i) % ring.Length];
            return items;
        }
    }

    /// <summary>Completes once an item newer than <paramref name="afterId"/> exists (at once if one does).</summary>
    public Task WaitAsync(long afterId, CancellationToken cancel) => NextAppend(afterId)?.WaitAsync(cancel) ?? Task.CompletedTask;

    /// <summary>
    /// Like <see cref="WaitAsync(long, CancellationToken)"/>, but gives up after <paramref name="timeout"/> and answers
    /// false; the wait is one continuation on the shared signal, removed on timeout, so idle readers leave nothing behind.
    /// </summary>
    public async Task<bool> WaitAsync(long afterId, TimeSpan timeout, TimeProvider time, CancellationToken cancel)
    {
        if (NextAppend(afterId) is not { } next) return true;
        try
        {
            await next.WaitAsync(timeout, time, cancel);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private Task? NextAppend(long afterId)
    {
        lock (gate)
        {
            if (lastId > afterId) return null;
            appended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return appended.Task;
        }
    }
}
