using System.Globalization;
using Nscr.Grains;
using Nscr.Gateway.Stats;
using Nscr.Grains.Stats;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>GET /api/throughput?resolution=second|minute|hour|day[&amp;from=&lt;unix&gt;]</c>: the cluster's throughput
/// history, oldest bucket first, empty buckets left out (minute when no resolution is given).
/// <c>GET /api/throughput/stream</c>: server-sent events <c>throughput</c>, one per second, each a second bucket.
/// </summary>
public sealed class ThroughputEndpoint(IGrainFactory grains, ThroughputFeed feed)
{
    public Task StreamAsync(HttpContext context) => feed.StreamAsync(context);

    public async Task HistoryAsync(HttpContext context)
    {
        var resolution = ParseResolution(context.Request.Query["resolution"].ToString());
        var from = ParseFrom(context.Request.Query["from"].ToString());
        var history = await grains.GetGrain<IStatsGrain>(0).GetHistoryAsync(resolution, from);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("resolution", Name(resolution));
            json.WriteNumber("bucketSeconds", BucketSeries.Of(resolution).BucketSeconds);
            json.WriteNumber("now", history.Now);
            if (history.SavedAt is { } savedAt) json.WriteNumber("savedAt", savedAt);
            json.WriteStartArray("buckets");
            foreach (var bucket in history.Buckets) ThroughputJson.WriteBucket(json, bucket);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    public static ThroughputResolution ParseResolution(string text) => text switch
    {
        "second" => ThroughputResolution.Second,
        "" or "minute" => ThroughputResolution.Minute,
        "hour" => ThroughputResolution.Hour,
        "day" => ThroughputResolution.Day,
        _ => throw ApiException.InvalidParameter($"resolution must be second, minute, hour or day, not '{text}'"),
    };

    private static string Name(ThroughputResolution resolution) => resolution switch
    {
        ThroughputResolution.Second => "second",
        ThroughputResolution.Minute => "minute",
        ThroughputResolution.Hour => "hour",
        _ => "day",
    };

    private static long ParseFrom(string text)
    {
        if (text.Length == 0) return long.MinValue;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var from)
            ? from
            : throw ApiException.InvalidParameter($"from must be a unix time in seconds, not '{text}'");
    }
}
