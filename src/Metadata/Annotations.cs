using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nscr.Metadata;

/// <summary>A manifest's annotations as the JSON object kept in its row (referrers only).</summary>
internal static class Annotations
{
    public static string? Write(IReadOnlyDictionary<string, string>? annotations) =>
        annotations is null ? null : JsonSerializer.Serialize(annotations.ToDictionary(), AnnotationsJson.Default.DictionaryStringString);

    public static IReadOnlyDictionary<string, string>? Read(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, AnnotationsJson.Default.DictionaryStringString);
}

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class AnnotationsJson : JsonSerializerContext;
