using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Nscr.Grains.Gc;

/// <summary>
/// Globs for repository names and tags in retention rules: <c>*</c> matches within one path segment, <c>**</c> across
/// segments, <c>?</c> one character other than <c>/</c>; everything else matches itself.
/// </summary>
public static class Glob
{
    private static readonly ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    public static bool IsMatch(string pattern, string text) => Compiled.GetOrAdd(pattern, Compile).IsMatch(text);

    private static Regex Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
        return new Regex(regex.Append(@"\z").ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
