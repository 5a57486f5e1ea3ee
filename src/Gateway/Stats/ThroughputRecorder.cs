using Nscr.Gateway.Observability;
using Nscr.Grains;

namespace Nscr.Gateway.Stats;

/// <summary>
/// This process's traffic since the last report, by kind: fed once per request from <see cref="RequestTelemetry"/> with
/// a few interlocked adds (no lock, no allocation), taken once a second by <see cref="ThroughputReporter"/>.
/// </summary>
public sealed class ThroughputRecorder
{
    /// <summary>Requests, bytes in, bytes out; each kind on its own 64-byte cache line.</summary>
    private const int Stride = 8;

    private static readonly int Kinds = Enum.GetValues<ThroughputKind>().Length;

    private readonly long[] counters = new long[Kinds * Stride];

    public void Record(string method, string routeKind, long bytesIn, long bytesOut)
    {
        var at = (int)Classify(method, routeKind) * Stride;
        Interlocked.Increment(ref counters[at]);
        if (bytesIn != 0) Interlocked.Add(ref counters[at + 1], bytesIn);
        if (bytesOut != 0) Interlocked.Add(ref counters[at + 2], bytesOut);
    }

    /// <summary>Pushes are the writes of uploads and manifests, pulls their reads; blob HEADs (a pusher's "have you got it?") are other.</summary>
    public static ThroughputKind Classify(string method, string routeKind)
    {
        if (routeKind == RouteKinds.Upload)
        {
            return HttpMethods.IsPost(method) || HttpMethods.IsPatch(method) || HttpMethods.IsPut(method) ? ThroughputKind.BlobPush : ThroughputKind.Other;
        }
        if (routeKind == RouteKinds.Blob) return HttpMethods.IsGet(method) ? ThroughputKind.BlobPull : ThroughputKind.Other;
        if (routeKind == RouteKinds.Manifest)
        {
            if (HttpMethods.IsPut(method)) return ThroughputKind.ManifestPush;
            if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) return ThroughputKind.ManifestPull;
        }
        return ThroughputKind.Other;
    }

    /// <summary>Takes (and resets) what was counted since the last call as the second starting at <paramref name="start"/>; null when nothing was.</summary>
    public ThroughputBucket? Take(long start)
    {
        var kinds = new ThroughputCounts[Kinds];
        var any = false;
        for (var kind = 0; kind < Kinds; kind++)
        {
            var at = kind * Stride;
            kinds[kind] = new ThroughputCounts(
                Interlocked.Exchange(ref counters[at], 0),
                Interlocked.Exchange(ref counters[at + 1], 0),
                Interlocked.Exchange(ref counters[at + 2], 0));
            any |= !kinds[kind].IsEmpty;
        }
        return any
            ? new ThroughputBucket(start,
                kinds[(int)ThroughputKind.BlobPush],
                kinds[(int)ThroughputKind.BlobPull],
                kinds[(int)ThroughputKind.ManifestPush],
                kinds[(int)ThroughputKind.ManifestPull],
                kinds[(int)ThroughputKind.Other])
            : null;
    }
}
