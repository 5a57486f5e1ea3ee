using System.Diagnostics.Metrics;

namespace Nscr.Gateway.Observability;

/// <summary>
/// The gateway's HTTP instruments (meter "Nscr"): requests and their duration by method, route kind and status, bytes
/// received and sent by route kind, upload requests in flight. Labels come from small fixed sets (see <see cref="RouteKinds"/>).
/// </summary>
public sealed class RegistryMetrics
{
    public const string MeterName = "Nscr";

    /// <summary>Seconds; from sub-millisecond manifest HEADs to multi-minute layer uploads.</summary>
    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    /// <summary>Status codes as label values, made once (an int label would be boxed on every request).</summary>
    private static readonly string[] StatusLabels = Enumerable.Range(0, 600).Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The meter other gateway instruments (storage gauges) join.</summary>
    internal static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("nscr.http.requests", "{request}", "HTTP requests by method, route kind and status");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram("nscr.http.request.duration", "s", "HTTP request duration by method, route kind and status",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    private static readonly Counter<long> Received = Meter.CreateCounter<long>("nscr.http.received", "By", "Request body bytes received, by route kind");
    private static readonly Counter<long> Sent = Meter.CreateCounter<long>("nscr.http.sent", "By", "Response body bytes sent (as declared by Content-Length), by route kind");
    private static readonly UpDownCounter<long> UploadsInFlight = Meter.CreateUpDownCounter<long>("nscr.uploads.active", "{request}", "Upload requests (POST, PATCH, PUT of blob uploads) in progress");

    public void UploadStarted() => UploadsInFlight.Add(1);

    public void UploadEnded() => UploadsInFlight.Add(-1);

    public void RequestFinished(string method, string route, int status, TimeSpan elapsed, long bytesIn, long bytesOut)
    {
        var statusLabel = (uint)status < StatusLabels.Length ? StatusLabels[status] : "other";
        var tags = new System.Diagnostics.TagList
        {
            { "method", method },
            { "route", route },
            { "status", statusLabel },
        };
        Requests.Add(1, tags);
        Duration.Record(elapsed.TotalSeconds, tags);
        var routeTag = new KeyValuePair<string, object?>("route", route);
        if (bytesIn > 0) Received.Add(bytesIn, routeTag);
        if (bytesOut > 0) Sent.Add(bytesOut, routeTag);
    }
}
