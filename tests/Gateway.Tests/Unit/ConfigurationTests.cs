using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
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
        Environment.SetEnvironmentVariable("NSCR_CONFIGURATION_PROBE", "42");
        try
        {
            var keys = NscrEnvironmentVariables.Read();
            Assert.Equal("42", keys["Nscr:ConfigurationProbe"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NSCR_CONFIGURATION_PROBE", null);
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
