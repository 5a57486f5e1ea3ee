using System.Collections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Nscr.Gateway.Auth;
using Nscr.Gateway.Hosting;
using Nscr.Silo.Configuration;

namespace Nscr.Gateway.Tests.Unit;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("PORT", "Port")]
    [InlineData("DATA_DIR", "DataDir")]
    [InlineData("MAX_BLOB_BYTES", "MaxBlobBytes")]
    [InlineData("LISTEN_ADDRESS", "ListenAddress")]
    public void EnvironmentNames_MapToOptionNames(string snake, string pascal)
    {
        Assert.Equal(pascal, NscrEnvironmentVariables.PascalCase(snake));
    }

    [Fact]
    public void NscrVariables_BecomeKeysOfTheNscrSection()
    {
        var keys = NscrEnvironmentVariables.Read(new Hashtable { ["NSCR_PORT"] = "5005", ["NSCR_GC_GRACE"] = "0", ["NSCR_HTPASSWD"] = "/etc/nscr/htpasswd", ["NSCR_CLUSTER_ID"] = "blue" });

        Assert.Equal("5005", keys["Nscr:Port"]);
        Assert.Equal("0", keys["Nscr:Gc:Grace"]);
        Assert.Equal("/etc/nscr/htpasswd", keys["Nscr:Auth:Htpasswd"]);
        Assert.Equal("blue", keys["Nscr:ClusterId"]);
    }

    [Fact]
    public void ListSettings_TakeCommaSeparatedItems()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(NscrEnvironmentVariables.Read(new Hashtable { ["NSCR_AUTH_ADMINS"] = "olga, group:ops", ["NSCR_AUTH_ANONYMOUS_PULL"] = "public/**" }))
            .Build();

        var auth = AuthOptions.Read(configuration, Path.GetTempPath());

        Assert.Equal(["olga", "group:ops"], auth.Admins);
        Assert.Equal(["public/**"], auth.AnonymousPull);
    }

    [Theory]
    [InlineData("NSCR_AUTH_ADMIN", "NSCR_AUTH_ADMINS")]
    [InlineData("NSCR_DATA_DIRECTORY", "NSCR_DATA_DIR")]
    [InlineData("NSCR_GC_INTERVALL", "NSCR_GC_INTERVAL")]
    public void UnknownVariables_StopStartUpNamingThemAndTheClosestSetting(string typo, string meant)
    {
        var error = Assert.Throws<OptionsValidationException>(() => NscrEnvironmentVariables.Read(new Hashtable { [typo] = "x", ["NSCR_PORT"] = "5005" }));

        Assert.Contains($"Unknown environment variable {typo}:", error.Message);
        Assert.Contains($"did you mean {meant}?", error.Message);
        Assert.DoesNotContain("NSCR_PORT", error.Message);
    }

    [Fact]
    public void StructuredSettings_CannotBeReadFromAnNscrVariable()
    {
        var error = Assert.Throws<OptionsValidationException>(() => NscrEnvironmentVariables.Read(new Hashtable { ["NSCR_RETENTION"] = "keep" }));

        Assert.Contains("NSCR_RETENTION cannot be read", error.Message);
        Assert.Contains("Nscr__Retention__0__", error.Message);
    }

    [Fact]
    public void VariablesOfTheCliAndTheScripts_AreNotSettingsAndPassUnread()
    {
        var keys = NscrEnvironmentVariables.Read(new Hashtable { ["NSCR_URL"] = "http://x", ["NSCR_PASSWORD"] = "p", ["NSCR_CLUSTER_PORT_BASE"] = "9000", ["OTHER"] = "1" });

        Assert.Empty(keys);
    }

    [Fact]
    public void ASiloAloneReadsListsButRefusesNoName()
    {
        // A standalone silo does not load the gateway's options classes, so it cannot tell their names from typos.
        var keys = NscrEnvironmentVariables.Read(new Hashtable { ["NSCR_SOMETHING_NEW"] = "1", ["NSCR_AUTH_ADMINS"] = "a,b" }, rejectUnknown: false);

        Assert.Equal("1", keys["Nscr:SomethingNew"]);
        Assert.Equal("b", keys["Nscr:Auth:Admins:1"]);
    }

    [Fact]
    public void EveryDocumentedVariable_MapsBackToItsOwnKey()
    {
        // The reader maps a name to a key (NSCR_RATE_LIMIT_API_BURST → Nscr:RateLimit:ApiBurst); the docs map keys to names.
        var scalars = NscrSettingsCatalog.ByKey.Values.Where(s => s.Shape != NscrSettingShape.Structured).ToList();
        Assert.Contains(scalars, s => s.Key == "Nscr:Auth:Admins" && s.Shape == NscrSettingShape.List);
        foreach (var setting in scalars)
        {
            Assert.Equal(setting.Key, $"Nscr:{NscrEnvironmentVariables.Key(setting.Environment["NSCR_".Length..])}", StringComparer.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void CommandLineFlags_OverrideTheSection()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Nscr:Port"] = "7000", ["Nscr:DataDir"] = "/a" })
            .AddCommandLine(["--port", "5005", "--data-dir", "/b"], NscrEnvironmentVariables.SwitchMappings())
            .Build();

        var options = RegistryHost.ReadOptions(configuration);

        Assert.Equal(5005, options.Port);
        Assert.Equal("/b", options.DataDir);
    }

    [Fact]
    public void Defaults_AreThePublishedOnes()
    {
        var options = RegistryHost.ReadOptions(new ConfigurationBuilder().Build());

        Assert.Equal(7000, options.Port);
        Assert.Equal("0.0.0.0", options.ListenAddress);
        Assert.Equal("./data", options.DataDir);
    }

    [Theory]
    [InlineData("Nscr:Port", "70000", "Port")]
    [InlineData("Nscr:ListenAddress", "not-an-address", "ListenAddress")]
    [InlineData("Nscr:MaxBlobBytes", "-1", "MaxBlobBytes")]
    public void InvalidSettings_StopStartUpNamingTheSetting(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var error = Assert.Throws<OptionsValidationException>(() => RegistryHost.ReadOptions(configuration));

        Assert.Contains(named, error.Message);
    }
}
