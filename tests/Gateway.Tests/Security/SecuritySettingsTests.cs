using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Nscr.Gateway.Security;
using Nscr.Silo.Configuration;

namespace Nscr.Gateway.Tests.Security;

public sealed class SecuritySettingsTests
{
    [Fact]
    public void Settings_AcceptDurationsAndReportBadValues()
    {
        var settings = SecuritySettings.Read(Configuration(("Limits:RequestBodyGrace", "90s"), ("Limits:KeepAliveTimeout", "00:02:00"), ("RateLimit:ApiRequestsPerSecond", "50")));
        Assert.Equal(TimeSpan.FromSeconds(90), settings.Limits.RequestBodyGrace);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.Limits.KeepAliveTimeout);
        Assert.Equal(50, settings.RateLimit.ApiRequestsPerSecond);
        Assert.Equal(64 * 1024, settings.Limits.MaxRequestHeadersBytes);

        var error = Assert.Throws<OptionsValidationException>(() =>
            SecuritySettings.Read(Configuration(("Limits:RequestBodyGrace", "soon"), ("Limits:KeepAliveTimeout", "0"), ("Limits:MaxRequestHeadersBytes", "12"), ("RateLimit:AuthFailures", "-1"))));
        Assert.Contains("Limits:RequestBodyGrace 'soon' is not a valid duration", error.Message);
        Assert.Contains("MaxRequestHeadersBytes", error.Message);
        Assert.Contains("RateLimit:AuthFailures '-1'", error.Message);
        Assert.Contains("KeepAliveTimeout must be positive", error.Message);

        error = Assert.Throws<OptionsValidationException>(() => SecuritySettings.Read(Configuration(("Limits:RequestBodyGrace", "1s"))));
        Assert.Contains("RequestBodyGrace must be more than 1 second", error.Message);
    }

    [Theory]
    [InlineData("TLS_CERT", "Tls:Cert")]
    [InlineData("LIMITS_REQUEST_BODY_GRACE", "Limits:RequestBodyGrace")]
    [InlineData("RATE_LIMIT_API_REQUESTS_PER_SECOND", "RateLimit:ApiRequestsPerSecond")]
    [InlineData("GC_GRACE", "Gc:Grace")]
    public void EnvironmentNames_MapToTheirSections(string snake, string key)
    {
        Assert.Equal(key, NscrEnvironmentVariables.Key(snake));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"Nscr:{v.Key}", v.Value)))
            .Build();
}
