using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nscr.Gateway.Auth;
using Nscr.Gateway.Hosting;

namespace Nscr.Gateway.Tests.Auth;

public sealed class AuthConfigurationTests
{
    [Theory]
    [InlineData("HTPASSWD", "Auth:Htpasswd")]
    [InlineData("AUTH_SERVICE", "Auth:Service")]
    [InlineData("AUTH_TOKEN_KEY_FILE", "Auth:TokenKeyFile")]
    [InlineData("GC_GRACE", "Gc:Grace")]
    public void EnvironmentNames_MapToTheAuthSection(string snake, string key) => Assert.Equal(key, NscrEnvironmentVariables.Key(snake));

    [Fact]
    public void Auth_IsOffByDefault_AndTheKeyFileDefaultsUnderTheDataDir()
    {
        var options = AuthOptions.Read(new ConfigurationBuilder().Build(), "/data");
        Assert.False(options.Enabled);
        Assert.Equal("/data/auth/token-key.pem", options.TokenKeyFile);
    }

    [Fact]
    public void BadRulesAndDurations_StopTheStart_NamingThem()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Nscr:Auth:Htpasswd"] = "/x",
            ["Nscr:Auth:TokenLifetime"] = "soon",
            ["Nscr:Auth:Rules:0:Subjects:0"] = "bob",
            ["Nscr:Auth:Rules:0:Repository"] = "a/*",
            ["Nscr:Auth:Rules:0:Actions:0"] = "write",
        }).Build();
        var error = Assert.Throws<OptionsValidationException>(() => AuthOptions.Read(configuration, "/data"));
        Assert.Contains(error.Failures, f => f.Contains("TokenLifetime"));
        Assert.Contains(error.Failures, f => f.Contains("Rules:0:Actions 'write'"));
    }

    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("127.0.0.1", false)]
    public async Task AuthOff_BeyondLoopback_WarnsLoudlyAtStartUp(string address, bool warns)
    {
        var logs = new CapturedLogs();
        var dataDir = Path.Combine(Path.GetTempPath(), "nscr-auth-warning", Guid.NewGuid().ToString("N"));
        await using (var app = RegistryHost.Build(["--port", "0", "--listen-address", address, "--data-dir", dataDir], builder => builder.Logging.AddProvider(logs)))
        {
            Assert.Equal(warns, logs.Lines.Any(line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("[2000]")));
        }
        Directory.Delete(dataDir, recursive: true);
    }
}
