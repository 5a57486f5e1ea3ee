using Nscr.Gateway.Hosting;
using Nscr.Silo.Configuration;

namespace Nscr.Gateway.Tests.Unit;

/// <summary>docs/configuration.md is generated from the options classes; these fail when either drifts.
/// Regenerate with <c>NSCR_UPDATE_DOCS=1 dotnet test tests/Gateway.Tests --filter ConfigurationReference</c>.</summary>
public sealed class ConfigurationReferenceTests
{
    [Fact]
    public void TheDocument_MatchesTheOptionsClasses()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "configuration.md");
        var generated = ConfigurationReference.Markdown(ConfigurationReference.Settings());
        if (Environment.GetEnvironmentVariable("NSCR_UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }
        Assert.True(File.Exists(path), $"{path} is missing; run NSCR_UPDATE_DOCS=1 dotnet test tests/Gateway.Tests --filter ConfigurationReference");
        Assert.True(generated == File.ReadAllText(path).ReplaceLineEndings("\n"),
            "docs/configuration.md differs from the options classes; run NSCR_UPDATE_DOCS=1 dotnet test tests/Gateway.Tests --filter ConfigurationReference");
    }

    [Fact]
    public void EverySetting_HasADescription()
    {
        var missing = ConfigurationReference.Settings().Where(s => string.IsNullOrWhiteSpace(s.Description)).Select(s => s.Owner).ToList();
        Assert.True(missing.Count == 0, "[Description] missing on: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryNscrVariable_MapsBackToItsKey()
    {
        var wrong = ConfigurationReference.Settings()
            .Where(s => s.Environment.StartsWith("NSCR_", StringComparison.Ordinal))
            .Where(s => $"Nscr:{NscrEnvironmentVariables.Key(s.Environment["NSCR_".Length..])}" != s.Key)
            .Select(s => $"{s.Environment} -> Nscr:{NscrEnvironmentVariables.Key(s.Environment["NSCR_".Length..])}, not {s.Key} (add its prefix to NscrEnvironmentVariables.SubSections)")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void TheKnownOptionClasses_AreDiscovered()
    {
        var sections = ConfigurationReference.OptionsTypes().Select(ConfigurationReference.SectionOf).ToList();
        Assert.Contains("Nscr", sections);
        Assert.Contains("Nscr:Gc", sections);
        Assert.Contains("Nscr:Log", sections);
        Assert.Contains("Nscr:Webhooks", sections);
        var keys = ConfigurationReference.Settings().Select(s => s.Key).ToList();
        Assert.Contains("Nscr:UploadTimeout", keys);
        Assert.Contains("Nscr:Retention:<n>:KeepTags", keys);
        Assert.Contains("Nscr:Webhooks:Endpoints:<n>:Url", keys);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nscr.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("no Nscr.sln above the test binaries");
    }
}
