using System.ComponentModel;
using Nscr.Configuration;

namespace Nscr.Grains.Gc;

/// <summary>
/// Garbage collection settings (section <c>Nscr:Gc</c>, <c>Nscr:UploadTimeout</c> and <c>Nscr:Retention</c>; env
/// <c>NSCR_GC_INTERVAL</c>, <c>NSCR_GC_GRACE</c>, <c>NSCR_UPLOAD_TIMEOUT</c>, …). Validated at start-up.
/// </summary>
public sealed class GcOptions
{
    /// <summary>Where <see cref="Interval"/>, <see cref="Grace"/> and <see cref="DeleteUntagged"/> live; the others name their keys.</summary>
    public const string Section = "Nscr:Gc";

    [Description("Time between two scheduled garbage collection cycles (at least 1s; durations: 0, 90s, 15m, 1h, 7d or 01:00:00).")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    [Description("A cycle keeps whatever was touched (uploaded, mounted, referenced, read) less than this long before it started; 0 is allowed.")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromHours(1);

    [Description("Upload sessions idle longer than this are expired with their staged bytes.")]
    [SettingKey("Nscr:UploadTimeout")]
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromHours(24);

    [Description("Collect manifests that no tag, kept index or live subject reaches (retention rules may override it per repository).")]
    public bool DeleteUntagged { get; set; } = true;

    [Description("Retention rules, applied when a cycle runs; the first whose Repository glob matches a repository applies to it.")]
    [SettingKey("Nscr:Retention")]
    public IReadOnlyList<RetentionRule> Retention { get; set; } = [];

    public RetentionRule? RuleFor(string repository) => RuleFor(Retention, repository);

    /// <summary>The first of <paramref name="rules"/> whose repository glob matches <paramref name="repository"/>.</summary>
    public static RetentionRule? RuleFor(IReadOnlyList<RetentionRule> rules, string repository) =>
        rules.FirstOrDefault(r => Glob.IsMatch(r.Repository, repository));

    /// <summary>Every problem with the settings, each naming its key; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Interval < TimeSpan.FromSeconds(1)) problems.Add($"Gc:Interval must be at least 1 second (got {Interval}).");
        if (Grace < TimeSpan.Zero) problems.Add($"Gc:Grace must not be negative (got {Grace}).");
        if (UploadTimeout <= TimeSpan.Zero) problems.Add($"UploadTimeout must be positive (got {UploadTimeout}).");
        problems.AddRange(RetentionRule.Problems(Retention, (i, field) => $"Retention:{i}:{field}"));
        return problems;
    }
}
