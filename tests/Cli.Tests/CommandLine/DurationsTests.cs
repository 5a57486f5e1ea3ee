using Nscr.Cli.CommandLine;
using Xunit;

namespace Nscr.Cli.Tests.CommandLine;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("45s", 45_000)]
    [InlineData("10m", 600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m30s", 150_000)]
    [InlineData("00:10:00", 600_000)]
    [InlineData(" 30S ", 30_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("1d12h", 129_600_000)]
    public void ReadsWhatPeopleType(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("3x")]
    [InlineData("m")]
    [InlineData("-5s")]
    [InlineData("5s junk")]
    [InlineData("-00:01:00")]
    public void RefusesAnythingElse(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData(45_000, "45s")]
    [InlineData(600_000, "10m00s")]
    [InlineData(3_723_000, "1h02m03s")]
    public void FormatsShort(long milliseconds, string expected) =>
        Assert.Equal(expected, Durations.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
