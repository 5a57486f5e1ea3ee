using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Nscr.Silo.Configuration;

namespace Nscr.Gateway.Tests.Unit;

public sealed class GcSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build();

    [Theory]
    [InlineData("GC_GRACE", "Gc:Grace")]
    [InlineData("GC_INTERVAL", "Gc:Interval")]
    [InlineData("GC_DELETE_UNTAGGED", "Gc:DeleteUntagged")]
    [InlineData("UPLOAD_TIMEOUT", "UploadTimeout")]
    [InlineData("DATA_DIR", "DataDir")]
    public void Gc_environment_names_map_into_the_gc_section(string snake, string key)
    {
        Assert.Equal(key, NscrEnvironmentVariables.Key(snake));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("1h", 3600)]
    [InlineData("1.5h", 5400)]
    [InlineData("7d", 604800)]
    [InlineData("250ms", 0.25)]
    [InlineData("01:00:00", 3600)]
    public void Durations_accept_units_and_timespans(string text, double seconds)
    {
        Assert.True(GcSettings.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Fact]
    public void Defaults_are_one_hour_one_hour_and_a_day()
    {
        var options = GcSettings.Read(Config());

        Assert.Equal(TimeSpan.FromHours(1), options.Interval);
        Assert.Equal(TimeSpan.FromHours(1), options.Grace);
        Assert.Equal(TimeSpan.FromHours(24), options.UploadTimeout);
        Assert.True(options.DeleteUntagged);
        Assert.Empty(options.Retention);
    }

    [Fact]
    public void Retention_rules_are_read_in_order_with_lists_or_comma_separated_tags()
    {
        var options = GcSettings.Read(Config(
            ("Nscr:Gc:Grace", "0"),
            ("Nscr:Retention:0:Repository", "ci/**"),
            ("Nscr:Retention:0:KeepNewest", "10"),
            ("Nscr:Retention:0:DeleteOlderThan", "30d"),
            ("Nscr:Retention:0:KeepTags:0", "latest"),
            ("Nscr:Retention:0:KeepTags:1", "v*"),
            ("Nscr:Retention:1:Repository", "*"),
            ("Nscr:Retention:1:KeepTags", "main, release-*"),
            ("Nscr:Retention:1:DeleteUntagged", "false")));

        Assert.Equal(TimeSpan.Zero, options.Grace);
        Assert.Equal(2, options.Retention.Count);
        var ci = options.RuleFor("ci/app/builds")!;
        Assert.Equal(10, ci.KeepNewest);
        Assert.Equal(TimeSpan.FromDays(30), ci.DeleteOlderThan);
        Assert.Equal(["latest", "v*"], ci.KeepTags);
        var top = options.RuleFor("app")!;
        Assert.Equal(["main", "release-*"], top.KeepTags);
        Assert.False(top.DeleteUntagged);
        Assert.Null(options.RuleFor("team/app"));
    }

    [Theory]
    [InlineData("Nscr:Gc:Grace", "soon", "Gc:Grace")]
    [InlineData("Nscr:Gc:Grace", "-1:00:00", "Gc:Grace")]
    [InlineData("Nscr:Gc:Interval", "0", "Gc:Interval")]
    [InlineData("Nscr:UploadTimeout", "0", "UploadTimeout")]
    [InlineData("Nscr:Gc:DeleteUntagged", "maybe", "Gc:DeleteUntagged")]
    [InlineData("Nscr:Retention:0:KeepNewest", "ten", "Retention:0:KeepNewest")]
    [InlineData("Nscr:Retention:0:KeepNewest", "3", "Retention:0:Repository")]
    public void Invalid_settings_stop_the_start_naming_the_key(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => GcSettings.Read(Config((key, value))));

        Assert.Contains(named, error.Message);
    }
}
