using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Nscr.Deploy.Tests;

/// <summary>Every NSCR_* variable a deployment file sets is one the code reads (a typo would be silently ignored).</summary>
public sealed partial class SettingsNamesTests
{
    [Fact]
    public void EverySettingTheDeploymentFilesSetExists()
    {
        var used = new Dictionary<string, HashSet<string>>();
        // Documentation (README.md) may show the scripts' own settings; everything else is checked.
        foreach (var file in Directory.EnumerateFiles(DeployFiles.Deploy(), "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".md")))
        {
            var names = Path.GetExtension(file) switch
            {
                ".yaml" or ".yml" => YamlNames(file),
                ".sh" => ScriptNames(file, requireUnset: Path.GetFileName(file) == "local-cluster.sh"),
                _ => AssignedNames(file),
            };
            foreach (var name in names)
            {
                used.TryAdd(name, []);
                used[name].Add(Path.GetRelativePath(DeployFiles.RepositoryRoot, file));
            }
        }

        Assert.Contains("NSCR_POSTGRES", used.Keys);
        Assert.Contains("NSCR_ROLE", used.Keys);
        var unknown = used.Where(u => !KnownSettings.EnvironmentVariables.Contains(u.Key))
            .Select(u => $"{u.Key} (in {string.Join(", ", u.Value)})").ToList();
        Assert.True(unknown.Count == 0, "settings no code reads: " + string.Join("; ", unknown)
            + "\nknown: " + string.Join(" ", KnownSettings.EnvironmentVariables.Order()));
    }

    [Fact]
    public void KnownSettingsCoverTheClusterContract()
    {
        // The reflection must find the settings classes, or the test above would pass on nothing.
        foreach (var name in new[] { "NSCR_PORT", "NSCR_DATA_DIR", "NSCR_POSTGRES", "NSCR_ROLE", "NSCR_SILO_PORT",
                     "NSCR_GATEWAY_PORT", "NSCR_ADVERTISED_ADDRESS", "NSCR_GC_INTERVAL", "NSCR_KUBERNETES", "NSCR_S3_BUCKET" })
        {
            Assert.Contains(name, KnownSettings.EnvironmentVariables);
        }
        Assert.DoesNotContain("NSCR_GC_RETENTION", KnownSettings.EnvironmentVariables);
    }

    /// <summary>Whole scalars that are setting names: compose environment keys, Kubernetes env names, ConfigMap keys.</summary>
    private static IEnumerable<string> YamlNames(string file) =>
        DeployFiles.Documents(file).SelectMany(DeployFiles.Walk).OfType<YamlScalarNode>()
            .Select(s => s.Value ?? "").Where(v => SettingName().IsMatch(v));

    /// <summary>NAME=value assignments: Containerfile ENV, systemd Environment=, env files, the entrypoint.</summary>
    private static IEnumerable<string> AssignedNames(string file) =>
        Assignment().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value);

    /// <summary>A script's assignments, less its own settings (the ones it unsets for the processes it starts).</summary>
    private static IEnumerable<string> ScriptNames(string file, bool requireUnset)
    {
        var text = File.ReadAllText(file);
        var unset = Regex.Match(text, @"unset ((?:NSCR_[A-Z0-9_]+[\s\\]*)+)");
        Assert.True(unset.Success || !requireUnset, $"{file} no longer unsets its own settings for the processes it starts");
        var own = unset.Success ? Name().Matches(unset.Groups[1].Value).Select(m => m.Value).ToHashSet() : [];
        return Assignment().Matches(text).Select(m => m.Groups[1].Value).Where(n => !own.Contains(n));
    }

    [GeneratedRegex("^NSCR_[A-Z0-9_]+$")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"\b(NSCR_[A-Z0-9_]+)=")]
    private static partial Regex Assignment();

    [GeneratedRegex("NSCR_[A-Z0-9_]+")]
    private static partial Regex Name();
}
