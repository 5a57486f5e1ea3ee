using System.Globalization;
using System.Text.Json;
using Nscr.Grains;
using Nscr.Silo.Configuration;

namespace Nscr.Gateway.Api;

/// <summary>
/// Retention rules as JSON: <c>{"repository", "keepTags": [], "keepNewest", "deleteOlderThan", "deleteUntagged"}</c>, a
/// duration written as "d.hh:mm:ss" and read as that or as in the configuration ("7d", "12h", "90s"). Reading is strict:
/// an unknown property, a wrong type or an invalid value is a 400 naming the rule and the field.
/// </summary>
public static class RetentionJson
{
    public const string InvalidCode = "RETENTION_INVALID";

    private static readonly string[] Fields = ["repository", "keepTags", "keepNewest", "deleteOlderThan", "deleteUntagged"];

    public static void WriteRules(Utf8JsonWriter json, IReadOnlyList<RetentionRule> rules)
    {
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("repository", rule.Repository);
            json.WriteStartArray("keepTags");
            foreach (var tag in rule.KeepTags) json.WriteStringValue(tag);
            json.WriteEndArray();
            if (rule.KeepNewest is { } newest) json.WriteNumber("keepNewest", newest);
            else json.WriteNull("keepNewest");
            if (rule.DeleteOlderThan is { } age) json.WriteString("deleteOlderThan", age.ToString("c", CultureInfo.InvariantCulture));
            else json.WriteNull("deleteOlderThan");
            if (rule.DeleteUntagged is { } untagged) json.WriteBoolean("deleteUntagged", untagged);
            else json.WriteNull("deleteUntagged");
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>The rules of a <c>{"rules": [...]}</c> document, validated; throws a 400 <see cref="ApiException"/> otherwise.</summary>
    public static IReadOnlyList<RetentionRule> ReadRules(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            throw Invalid($"the body is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("rules", out var rules) || rules.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("the body must be an object with a \"rules\" array: {\"rules\": [{\"repository\": \"ci/**\", \"keepNewest\": 5}]}");
            }
            var problems = new List<string>();
            var parsed = rules.EnumerateArray().Select((rule, i) => ReadRule(rule, i, problems)).ToArray();
            if (problems.Count == 0) problems.AddRange(RetentionRule.Problems(parsed, (i, field) => $"rules[{i}].{char.ToLowerInvariant(field[0])}{field[1..]}"));
            if (problems.Count > 0) throw Invalid(string.Join(" ", problems));
            return parsed;
        }
    }

    private static RetentionRule ReadRule(JsonElement rule, int index, List<string> problems)
    {
        var at = $"rules[{index}]";
        if (rule.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{at} must be an object.");
            return new RetentionRule { Repository = "" };
        }
        foreach (var property in rule.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                problems.Add($"{at} has an unknown property '{Clip(property.Name)}' (known: {string.Join(", ", Fields)}).");
            }
        }
        var repository = Get(rule, "repository") is { ValueKind: JsonValueKind.String } name ? name.GetString()! : null;
        if (repository is null) problems.Add($"{at}.repository must be a string (a glob such as \"team/*\").");
        return new RetentionRule
        {
            Repository = repository ?? "",
            KeepTags = ReadTags(rule, at, problems),
            KeepNewest = Get(rule, "keepNewest") switch
            {
                null or { ValueKind: JsonValueKind.Null } => null,
                { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var count) => count,
                _ => Problem<int?>(problems, $"{at}.keepNewest must be a whole number or null."),
            },
            DeleteOlderThan = Get(rule, "deleteOlderThan") switch
            {
                null or { ValueKind: JsonValueKind.Null } => null,
                { ValueKind: JsonValueKind.String } s when GcSettings.TryParseDuration(s.GetString()!.Trim(), out var age) => age,
                _ => Problem<TimeSpan?>(problems, $"{at}.deleteOlderThan must be a duration such as \"7.00:00:00\", \"7d\" or \"12h\", or null."),
            },
            DeleteUntagged = Get(rule, "deleteUntagged") switch
            {
                null or { ValueKind: JsonValueKind.Null } => null,
                { ValueKind: JsonValueKind.True } => true,
                { ValueKind: JsonValueKind.False } => false,
                _ => Problem<bool?>(problems, $"{at}.deleteUntagged must be true, false or null."),
            },
        };
    }

    private static IReadOnlyList<string> ReadTags(JsonElement rule, string at, List<string> problems)
    {
        switch (Get(rule, "keepTags"))
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return [];
            case { ValueKind: JsonValueKind.Array } tags when tags.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String):
                return tags.EnumerateArray().Select(t => t.GetString()!).ToArray();
            default:
                problems.Add($"{at}.keepTags must be an array of tag globs.");
                return [];
        }
    }

    private static JsonElement? Get(JsonElement rule, string name) => rule.TryGetProperty(name, out var value) ? value : null;

    private static T Problem<T>(List<string> problems, string problem)
    {
        problems.Add(problem);
        return default!;
    }

    private static string Clip(string text) => text[..Math.Min(text.Length, 40)];

    private static ApiException Invalid(string message) => new(StatusCodes.Status400BadRequest, InvalidCode, message);
}
