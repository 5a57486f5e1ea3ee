namespace Nscr.Grains;

/// <summary>
/// A retention policy for the repositories whose name matches <see cref="Repository"/> (a glob: <c>*</c> within one
/// path segment, <c>**</c> across segments, <c>?</c> one character). A tag is deleted only when every criterion that is
/// set lets it go: it is not among the <see cref="KeepNewest"/>, it is older than <see cref="DeleteOlderThan"/>, and it
/// matches none of <see cref="KeepTags"/>. With neither of the first two set, tags are left alone.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("nscr.RetentionRule")]
public sealed record RetentionRule
{
    [System.ComponentModel.Description("Repository glob: * within one path segment, ** across segments, ? one character.")]
    [Id(0)] public required string Repository { get; init; }

    [System.ComponentModel.Description("Tags matching any of these globs are always kept (a list, or one comma-separated string).")]
    [Id(1)] public IReadOnlyList<string> KeepTags { get; init; } = [];

    [System.ComponentModel.Description("Keeps the N most recently pushed tags.")]
    [Id(2)] public int? KeepNewest { get; init; }

    [System.ComponentModel.Description("Tags pushed longer ago than this may go; younger ones are kept.")]
    [Id(3)] public TimeSpan? DeleteOlderThan { get; init; }

    [System.ComponentModel.Description("Whether untagged manifests are collected in these repositories; unset means Gc:DeleteUntagged.")]
    [Id(4)] public bool? DeleteUntagged { get; init; }

    /// <summary>True when the rule deletes tags at all.</summary>
    public bool PrunesTags => KeepNewest is not null || DeleteOlderThan is not null;

    /// <summary>
    /// Every problem with <paramref name="rules"/>, each naming its field through <paramref name="key"/> (rule index,
    /// field name); empty when they are valid. Globs are checked against the characters names and tags may hold, so a
    /// pattern that could never match (an upper-case repository, a space) is refused instead of silently keeping nothing.
    /// </summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<RetentionRule> rules, Func<int, string, string> key)
    {
        var problems = new List<string>();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (string.IsNullOrWhiteSpace(rule.Repository)) problems.Add($"{key(i, "Repository")} is required (a glob such as 'team/*').");
            else if (!IsGlob(rule.Repository, RepositoryCharacters)) problems.Add($"{key(i, "Repository")} '{rule.Repository}' is not a repository glob (lower-case letters, digits, '.', '_', '-', '/', '*', '?').");
            foreach (var tag in rule.KeepTags)
            {
                if (tag.Length == 0 || tag.Length > 128 || !IsGlob(tag, TagCharacters)) problems.Add($"{key(i, "KeepTags")} '{tag}' is not a tag glob (letters, digits, '.', '_', '-', '*', '?').");
            }
            if (rule.KeepNewest is < 0) problems.Add($"{key(i, "KeepNewest")} must not be negative.");
            if (rule.DeleteOlderThan is { } age && age <= TimeSpan.Zero) problems.Add($"{key(i, "DeleteOlderThan")} must be positive.");
        }
        return problems;
    }

    private const string RepositoryCharacters = "abcdefghijklmnopqrstuvwxyz0123456789._-/*?";

    private const string TagCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-*?";

    private static bool IsGlob(string pattern, string allowed) => pattern.Length <= 255 && pattern.All(allowed.Contains);
}
