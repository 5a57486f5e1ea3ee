namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>Waiting for a condition the server reaches on its own time: read, check, retry until a deadline.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>The first value <paramref name="read"/> gives that <paramref name="done"/> accepts; the last one is in the timeout's message.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, CancellationToken ct, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"condition not met within {limit.TotalSeconds:0} s (last: {value})");
            await Task.Delay(Interval, ct);
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, CancellationToken ct, TimeSpan? timeout = null) =>
        UntilAsync(condition, met => met, ct, timeout);
}
