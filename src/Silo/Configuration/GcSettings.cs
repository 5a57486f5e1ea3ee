using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Nscr.Grains;
using Nscr.Grains.Gc;

namespace Nscr.Silo.Configuration;

/// <summary>
/// Reads <see cref="GcOptions"/> from <c>Nscr:Gc:*</c>, <c>Nscr:UploadTimeout</c> and the <c>Nscr:Retention</c> list, and
/// validates them. Durations are "90s", "15m", "1h", "7d", "250ms", a plain number of seconds, or a TimeSpan
/// ("01:00:00").
/// </summary>
public static class GcSettings
{
    public static GcOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(NscrSection.Name);
        var problems = new List<string>();
        var defaults = new GcOptions();
        var options = new GcOptions
        {
            Interval = Duration(section, "Gc:Interval", defaults.Interval, problems),
            Grace = Duration(section, "Gc:Grace", defaults.Grace, problems),
            UploadTimeout = Duration(section, "UploadTimeout", defaults.UploadTimeout, problems),
            DeleteUntagged = Bool(section, "Gc:DeleteUntagged", problems) ?? defaults.DeleteUntagged,
            Retention = section.GetSection("Retention").GetChildren().Select((rule, i) => Rule(rule, i, problems)).ToArray(),
        };
        problems.AddRange(options.Validate());
        if (problems.Count > 0) throw new OptionsValidationException(NscrSection.Name, typeof(GcOptions), problems);
        return options;
    }

    private static RetentionRule Rule(IConfigurationSection rule, int index, List<string> problems)
    {
        var keepTags = rule.GetSection("KeepTags");
        return new RetentionRule
        {
            Repository = rule["Repository"] ?? "",
            // A list, or one comma-separated string (handy in an environment variable).
            KeepTags = keepTags.Value is { } joined
                ? joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : keepTags.GetChildren().Select(c => c.Value ?? "").Where(v => v.Length > 0).ToArray(),
            KeepNewest = Int(rule, "KeepNewest", $"Retention:{index}:", problems),
            DeleteOlderThan = rule["DeleteOlderThan"] is { Length: > 0 } ? Duration(rule, "DeleteOlderThan", TimeSpan.Zero, problems, $"Retention:{index}:") : null,
            DeleteUntagged = Bool(rule, "DeleteUntagged", problems, $"Retention:{index}:"),
        };
    }

    private static TimeSpan Duration(IConfiguration section, string key, TimeSpan fallback, List<string> problems, string prefix = "")
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (TryParseDuration(text.Trim(), out var value)) return value;
        problems.Add($"{prefix}{key} '{text}' is not a duration (examples: 0, 90s, 15m, 1h, 7d, 01:00:00).");
        return fallback;
    }

    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400) };
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
                && amount >= 0)
            {
                value = TimeSpan.FromSeconds(amount * seconds);
                return true;
            }
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var plain))
        {
            value = TimeSpan.FromSeconds(plain);
            return true;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    private static bool? Bool(IConfiguration section, string key, List<string> problems, string prefix = "")
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (bool.TryParse(text, out var value)) return value;
        problems.Add($"{prefix}{key} '{text}' is not true or false.");
        return null;
    }

    private static int? Int(IConfiguration section, string key, string prefix, List<string> problems)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        problems.Add($"{prefix}{key} '{text}' is not a whole number.");
        return null;
    }
}
