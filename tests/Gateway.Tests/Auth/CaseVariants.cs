namespace Nscr.Gateway.Tests.Auth;

/// <summary>Every upper/lower-case spelling of a query parameter name.</summary>
public static class CaseVariants
{
    /// <summary>All 2^letters spellings of <paramref name="name"/>, <paramref name="name"/> itself included.</summary>
    public static IReadOnlyList<string> Of(string name)
    {
        var variants = new HashSet<string>(StringComparer.Ordinal) { "" };
        foreach (var c in name)
        {
            variants = [.. variants.SelectMany(prefix => new[] { prefix + char.ToLowerInvariant(c), prefix + char.ToUpperInvariant(c) })];
        }
        return [.. variants.Order(StringComparer.Ordinal)];
    }

    /// <summary>The spellings of <paramref name="name"/> other than the spec's own.</summary>
    public static IReadOnlyList<string> Other(string name) => [.. Of(name).Where(v => v != name)];
}
