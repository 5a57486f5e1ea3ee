using System.Collections.Concurrent;
using System.Diagnostics;
using Nscr.Cli.Torture.Gc;

namespace Nscr.Cli.Torture.Report;

/// <summary>Counters shared by the workers, the GC loop and the cleanup; thread-safe.</summary>
public sealed class TortureStats
{
    private const int KeptFailures = 50;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, long> _operations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _retries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Failure> _failures = new();
    private readonly Lock _gcLock = new();
    private GcTotals _gc = new();
    private long _requests;
    private long _bytesPushed;
    private long _bytesPulled;
    private int _failureCount;
    private int _maxPushAttempts = 1;

    public TimeSpan Elapsed => _clock.Elapsed;

    public long Requests => Interlocked.Read(ref _requests);

    public long BytesPushed => Interlocked.Read(ref _bytesPushed);

    public long BytesPulled => Interlocked.Read(ref _bytesPulled);

    public int FailureCount => Volatile.Read(ref _failureCount);

    public IReadOnlyList<Failure> Failures => _failures.ToArray();

    public long TotalOperations => _operations.Values.Sum();

    public long TotalRetries => _retries.Values.Sum();

    public SortedDictionary<string, long> Operations => new(_operations, StringComparer.Ordinal);

    public SortedDictionary<string, long> Retries => new(_retries, StringComparer.Ordinal);

    public GcTotals Gc
    {
        get
        {
            lock (_gcLock) return _gc;
        }
    }

    public void Count(string operation) => _operations.AddOrUpdate(operation, 1, (_, n) => n + 1);

    /// <summary>A legal race the client recovered from, by its reason (the registry's error code).</summary>
    public void Retry(string reason) => _retries.AddOrUpdate(reason, 1, (_, n) => n + 1);

    /// <summary>The most attempts any acknowledged push needed (1 when none was refused).</summary>
    public int MaxPushAttempts => Volatile.Read(ref _maxPushAttempts);

    public void RecordPushAttempts(int attempts)
    {
        var current = Volatile.Read(ref _maxPushAttempts);
        while (attempts > current)
        {
            var seen = Interlocked.CompareExchange(ref _maxPushAttempts, attempts, current);
            if (seen == current) return;
            current = seen;
        }
    }

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public void AddPushed(long bytes) => Interlocked.Add(ref _bytesPushed, bytes);

    public void AddPulled(long bytes) => Interlocked.Add(ref _bytesPulled, bytes);

    public void AddGcCycle(GcReport report)
    {
        lock (_gcLock) _gc = _gc.Add(report);
    }

    public void Fail(string where, string kind, string message)
    {
        Interlocked.Increment(ref _failureCount);
        if (_failures.Count < KeptFailures) _failures.Enqueue(new Failure(where, kind, message, Math.Round(Elapsed.TotalSeconds, 1)));
    }
}
