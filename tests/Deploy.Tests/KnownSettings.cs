using Nscr.Gateway.Hosting;

namespace Nscr.Deploy.Tests;

/// <summary>
/// The NSCR_* environment variables the code reads: the configuration reference (docs/configuration.md), which is
/// built by reflection from every settings class, so a deployment file cannot name a setting that does not exist.
/// </summary>
public static class KnownSettings
{
    public static IReadOnlySet<string> EnvironmentVariables { get; } = ConfigurationReference.Settings()
        .Select(s => s.Environment)
        .Where(e => e.StartsWith("NSCR_", StringComparison.Ordinal))
        .ToHashSet(StringComparer.Ordinal);
}
