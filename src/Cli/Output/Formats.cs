using System.Globalization;
using System.Text.Json;

namespace Nscr.Cli.Output;

/// <summary>How numbers, sizes and times read in human output (never in <c>--json</c>, which is the API's own).</summary>
public static class Formats
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Bytes(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>UTC, to the second: "2025-03-01 12:00:05Z".</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Time(JsonElement element) =>
        element.ValueKind == JsonValueKind.String && element.TryGetDateTimeOffset(out var time) ? Time(time) : "-";

    public static string Duration(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 1 => $"{duration.TotalMilliseconds:0} ms",
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.0} s"),
        < 3600 => $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s",
        < 86400 => $"{(int)duration.TotalHours}h{duration.Minutes:00}m",
        _ => $"{(int)duration.TotalDays}d{duration.Hours:00}h",
    };

    /// <summary>"sha256:0123456789ab" — enough to tell digests apart in a table.</summary>
    public static string ShortDigest(string digest)
    {
        var colon = digest.IndexOf(':');
        return colon >= 0 && digest.Length > colon + 13 ? digest[..(colon + 13)] : digest;
    }

    /// <summary>A short name for a media type: "oci index", "docker manifest", else the type itself.</summary>
    public static string MediaType(string mediaType) => mediaType switch
    {
        "application/vnd.oci.image.index.v1+json" => "oci index",
        "application/vnd.oci.image.manifest.v1+json" => "oci manifest",
        "application/vnd.docker.distribution.manifest.list.v2+json" => "docker list",
        "application/vnd.docker.distribution.manifest.v2+json" => "docker manifest",
        _ => mediaType,
    };

    public static string Platform(JsonElement platform)
    {
        var os = platform.Str("os");
        var architecture = platform.Str("architecture");
        var variant = platform.Str("variant");
        return variant.Length > 0 ? $"{os}/{architecture}/{variant}" : $"{os}/{architecture}";
    }
}

/// <summary>Tolerant readers of the API's JSON: a missing or null field reads as empty/zero.</summary>
public static class Json
{
    public static JsonElement Get(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static string Str(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : "";

    public static long Long(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : 0;

    public static bool Bool(this JsonElement element, string name) => element.Get(name).ValueKind == JsonValueKind.True;

    public static IEnumerable<JsonElement> Items(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    public static bool IsNull(this JsonElement element, string name) => element.Get(name).ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;
}
