using System.Globalization;

namespace Nscr.Scale;

/// <summary><c>--name value</c> pairs after the phase name; every phase reads the ones it needs, with defaults.</summary>
public sealed class ScaleArgs
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    private ScaleArgs()
    {
    }

    public static ScaleArgs Parse(IReadOnlyList<string> args)
    {
        var parsed = new ScaleArgs();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected '--name value', got '{args[i]}'");
            }
            parsed.values[args[i][2..]] = args[i + 1];
        }
        return parsed;
    }

    public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public string Required(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    public int Number(string name, int fallback)
    {
        if (!values.TryGetValue(name, out var text)) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"--{name} must be a positive whole number, not '{text}'");
    }
}
