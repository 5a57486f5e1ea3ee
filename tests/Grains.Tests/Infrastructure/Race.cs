namespace Nscr.Grains.Tests.Infrastructure;

/// <summary>Two calls started from separate tasks in a random order with random jitter, so every interleaving happens.</summary>
public static class Race
{
    /// <summary>Starts both calls and waits for both; the caller inspects which failed.</summary>
    public static async Task<(Task<T1>, Task<T2>)> RunAsync<T1, T2>(Func<Task<T1>> first, Func<Task<T2>> second)
    {
        var swap = Random.Shared.Next(2) == 0;
        var jitter = Random.Shared.Next(3);
        Task<T1> a = null!;
        Task<T2> b = null!;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runA = Task.Run(async () => { await start.Task; if (swap) await Jitter(jitter); a = first(); });
        var runB = Task.Run(async () => { await start.Task; if (!swap) await Jitter(jitter); b = second(); });
        start.SetResult();
        await Task.WhenAll(runA, runB);
        try
        {
            await Task.WhenAll(a, b);
        }
        catch (Exception)
        {
            // Inspected by the caller.
        }
        return (a, b);
    }

    public static async Task<(Task, Task<T2>)> RunAsync<T2>(Func<Task> first, Func<Task<T2>> second)
    {
        var (a, b) = await RunAsync(async () => { await first(); return true; }, second);
        return (a, b);
    }

    private static async Task Jitter(int kind)
    {
        if (kind == 1) await Task.Yield();
        else if (kind == 2) Thread.SpinWait(Random.Shared.Next(50, 2000));
    }
}
