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
}
