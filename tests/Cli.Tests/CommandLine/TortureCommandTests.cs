using System.CommandLine;
using Nscr.Cli.CommandLine;
using Xunit;

namespace Nscr.Cli.Tests.CommandLine;

public sealed class TortureCommandTests
{
    [Fact]
    public void ParsesEveryOption()
    {
        var result = Parse("torture", "--url", "http://127.0.0.1:7000", "--duration", "45s", "--workers", "4", "--seed", "9",
            "--data-dir", "/tmp/x", "--json", "--no-gc");

        Assert.Empty(result.Errors);
        Assert.Equal("torture", result.CommandResult.Command.Name);
        Assert.Equal("http://127.0.0.1:7000", result.GetValue<string?>("--url"));
        Assert.Equal(TimeSpan.FromSeconds(45), result.GetValue<TimeSpan>("--duration"));
        Assert.Equal(4, result.GetValue<int>("--workers"));
        Assert.Equal(9, result.GetValue<int?>("--seed"));
        Assert.True(result.GetValue<bool>("--json"));
        Assert.True(result.GetValue<bool>("--no-gc"));
    }

    [Fact]
    public void DefaultsToTenMinutesWithEightWorkers()
    {
        var result = Parse("torture", "--url", "http://127.0.0.1:7000/prefix");

        Assert.Empty(result.Errors);
        Assert.Equal(TimeSpan.FromMinutes(10), result.GetValue<TimeSpan>("--duration"));
        Assert.Equal(8, result.GetValue<int>("--workers"));
        Assert.Null(result.GetValue<int?>("--seed"));
        // A trailing slash keeps a path prefix when v2/... is resolved against the URL.
        Assert.Equal("http://127.0.0.1:7000/prefix/", ConnectionOptions.ParseUrl(result.GetValue<string?>("--url")!).ToString());
    }

    [Theory]
    [InlineData("--workers", "0")]
    [InlineData("--duration", "3x")]
    [InlineData("--url", "ftp://host/")]
    [InlineData("--url", "not a url")]
    [InlineData("--url", "http://admin:s3cret@127.0.0.1:7000/")]
    public void RejectsBadValues(string option, string value)
    {
        var args = option == "--url" ? new[] { "torture", "--url", value } : ["torture", "--url", "http://127.0.0.1:7000", option, value];
        Assert.NotEmpty(Parse(args).Errors);
    }

    [Fact]
    public void A_url_with_credentials_is_refused_without_echoing_them()
    {
        var errors = Parse("torture", "--url", "http://admin:s3cret@127.0.0.1:7000/").Errors;
        Assert.Contains(errors, e => e.Message.Contains("credentials", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Message.Contains("s3cret", StringComparison.Ordinal));
        var refused = Assert.Throws<CliException>(() => ConnectionOptions.ParseUrl("http://admin:s3cret@127.0.0.1:7000/"));
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.DoesNotContain("s3cret", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TakesTheSharedOptionsBeforeTheSubcommandToo()
    {
        var result = Parse("--url", "http://127.0.0.1:7000", "--json", "-u", "admin", "torture", "--duration", "45s");

        Assert.Empty(result.Errors);
        Assert.Equal("torture", result.CommandResult.Command.Name);
        Assert.Equal("http://127.0.0.1:7000", result.GetValue<string?>("--url"));
        Assert.Equal("admin", result.GetValue<string?>("--username"));
        Assert.True(result.GetValue<bool>("--json"));
    }

    [Fact]
    public void NeedsNoUrlFlag() => Assert.Empty(Parse("torture").Errors);

    private static ParseResult Parse(params string[] args) => NscrCommandLine.Create().Parse(args);
}
