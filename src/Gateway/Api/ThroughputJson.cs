using System.Text.Json;
using Nscr.Grains;

namespace Nscr.Gateway.Api;

/// <summary>The JSON of a throughput bucket: totals, then each kind under its wire name.</summary>
public static class ThroughputJson
{
    private static readonly (ThroughputKind Kind, JsonEncodedText Name)[] Kinds =
    [
        (ThroughputKind.BlobPush, JsonEncodedText.Encode("blobPush")),
        (ThroughputKind.BlobPull, JsonEncodedText.Encode("blobPull")),
        (ThroughputKind.ManifestPush, JsonEncodedText.Encode("manifestPush")),
        (ThroughputKind.ManifestPull, JsonEncodedText.Encode("manifestPull")),
        (ThroughputKind.Other, JsonEncodedText.Encode("other")),
    ];

    public static void WriteBucket(Utf8JsonWriter json, ThroughputBucket bucket)
    {
        json.WriteStartObject();
        json.WriteNumber("t", bucket.Start);
        WriteCounts(json, bucket.Total);
        json.WriteStartObject("kinds");
        foreach (var (kind, name) in Kinds)
        {
            json.WriteStartObject(name);
            WriteCounts(json, bucket[kind]);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter json, ThroughputCounts counts)
    {
        json.WriteNumber("requests", counts.Requests);
        json.WriteNumber("bytesIn", counts.BytesIn);
        json.WriteNumber("bytesOut", counts.BytesOut);
    }
}
