using System.Diagnostics;

namespace Nscr.Scale;

/// <summary>What one unit of work (an image, a repository) measured: the latencies of its manifest calls.</summary>
public sealed record Completion(double AtSeconds, IReadOnlyList<double> Milliseconds);

/// <summary>
/// Runs <c>count</c> units of work on <c>clients</c> concurrent workers, each taking the next index, and records each
/// unit's completion in completion order, so that rates can be given per slice of the run (the first 1,000, the last).
/// </summary>
public static class Workers
{
    public static async Task<IReadOnlyList<Completion>> RunAsync(
        int count, int clients, Func<int, CancellationToken, Task<IReadOnlyList<double>>> unit, CancellationToken cancellationToken)
    {
        var completions = new Completion[count];
        var next = -1;
        var done = -1;
        var started = Stopwatch.GetTimestamp();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        async Task WorkAsync()
        {
            try
            {
                for (var index = Interlocked.Increment(ref next); index < count; index = Interlocked.Increment(ref next))
                {
                    var milliseconds = await unit(index, failed.Token);
                    completions[Interlocked.Increment(ref done)] = new Completion(Stopwatch.GetElapsedTime(started).TotalSeconds, milliseconds);
                }
            }
            catch
            {
                // One failure ends the phase: the other workers stop at their next call.
                await failed.CancelAsync();
                throw;
            }
        }
        var workers = Enumerable.Range(0, Math.Min(clients, count)).Select(_ => Task.Run(WorkAsync, CancellationToken.None)).ToArray();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (workers.FirstOrDefault(w => w.IsFaulted && w.Exception!.InnerException is not OperationCanceledException) is { } first)
        {
            throw first.Exception!.InnerException!;
        }
        return completions;
    }

    /// <summary>The run cut into slices of <paramref name="size"/> completions (the last one may be shorter).</summary>
    public static IEnumerable<object> Slices(string phase, IReadOnlyList<Completion> completions, int size, string unit)
    {
        for (var first = 0; first < completions.Count; first += size)
        {
            var last = Math.Min(first + size, completions.Count) - 1;
            var from = first == 0 ? 0 : completions[first - 1].AtSeconds;
            var seconds = completions[last].AtSeconds - from;
            var latencies = new Latencies(completions.Skip(first).Take(last - first + 1).SelectMany(c => c.Milliseconds));
            yield return new
            {
                phase,
                figure = "slice",
                slice = first / size,
                first = first + 1,
                last = last + 1,
                seconds = Latencies.Round(seconds),
                rate = Latencies.Round((last - first + 1) / Math.Max(seconds, 1e-9)),
                unit,
                put_p50_ms = latencies.Percentile(50),
                put_p99_ms = latencies.Percentile(99),
                put_max_ms = latencies.Max,
            };
        }
    }

    /// <summary>The whole run in one line: units, seconds, rate, and the latency of every manifest call.</summary>
    public static object Total(string phase, IReadOnlyList<Completion> completions, string unit)
    {
        var seconds = completions.Count == 0 ? 0 : completions[^1].AtSeconds;
        var latencies = new Latencies(completions.SelectMany(c => c.Milliseconds));
        return new
        {
            phase,
            figure = "total",
            count = completions.Count,
            calls = latencies.Count,
            seconds = Latencies.Round(seconds),
            rate = Latencies.Round(completions.Count / Math.Max(seconds, 1e-9)),
            unit,
            p50_ms = latencies.Percentile(50),
            p99_ms = latencies.Percentile(99),
            max_ms = latencies.Max,
        };
    }
}
