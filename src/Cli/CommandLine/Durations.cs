using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Nscr.Cli.CommandLine;

/// <summary>Durations as people type them: <c>90s</c>, <c>10m</c>, <c>1h30m</c>, <c>500ms</c>, <c>7d</c>, or a TimeSpan (<c>00:10:00</c>).</summary>
public static partial class Durations
{
    [GeneratedRegex(@"\G(\d+(?:\.\d+)?)(ms|d|h|m|s)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Part();

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim();
        if (text.Length == 0) return false;
        if (text.Contains(':')) return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
        var position = 0;
        foreach (Match match in Part().Matches(text))
        {
            if (match.Index != position) return false;
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += match.Groups[2].Value.ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromDays(value),
            };
            position += match.Length;
        }
        return position == text.Length;
    }

    /// <summary>A System.CommandLine parser for <c>Option&lt;TimeSpan&gt;.CustomParser</c>.</summary>
    public static TimeSpan Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (TryParse(text, out var duration)) return duration;
        result.AddError($"'{text}' is not a duration (examples: 45s, 10m, 1h30m, 7d, 00:10:00)");
        return TimeSpan.Zero;
    }

    /// <summary>Short human form: 45s, 10m00s, 1h02m03s.</summary>
    public static string Format(TimeSpan duration) => duration.TotalHours >= 1
        ? $"{(int)duration.TotalHours}h{duration.Minutes:00}m{duration.Seconds:00}s"
        : duration.TotalMinutes >= 1
            ? $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s"
            : $"{duration.TotalSeconds:0.#}s";
}
