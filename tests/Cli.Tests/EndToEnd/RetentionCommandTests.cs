using Nscr.Cli.Tests.Infrastructure;
using Xunit;

namespace Nscr.Cli.Tests.EndToEnd;

/// <summary><c>nscr retention</c>, <c>retention set FILE [--dry-run]</c> and <c>retention reset</c> against the real registry.</summary>
public sealed class RetentionCommandTests(CliRegistry registry) : IClassFixture<CliRegistry>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private async Task<string[]> TagsAsync(string repository)
    {
        var run = await registry.RunAsync("tags", repository, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Json.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("tag").GetString()!).Order(StringComparer.Ordinal).ToArray();
    }

    private string WriteRules(string json)
    {
        var path = Path.Combine(registry.Root, $"rules-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task ShowDryRunSetApplyAndReset()
    {
        var repository = Unique("ret/app");
        foreach (var tag in new[] { "latest", "v1", "v2", "v3" }) await registry.Pusher.PushImageAsync(repository, tag, [ImagePusher.RandomBytes(300)]);

        var shown = await registry.RunAsync("retention");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Equal("retention rules: from the configuration (Nscr:Retention)\nno rules: cycles delete no tag (untagged manifests follow Gc:DeleteUntagged)\n", shown.Out);

        var file = WriteRules("""{"rules":[{"repository":"ret/**","keepNewest":1,"keepTags":["latest"],"deleteOlderThan":"30d"}]}""");
        // deleteOlderThan 30d keeps every fresh tag: the dry run first with keepNewest alone, from stdin.
        var dry = await CliRun.RunAsync(registry.Environment(), """{"rules":[{"repository":"ret/**","keepNewest":1,"keepTags":["latest"]}]}""",
            ["retention", "set", "-", "--dry-run"]);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("nothing was saved or deleted", dry.Out);
        Assert.Contains($"{repository}:v1", dry.Out);
        Assert.Contains($"{repository}:v2", dry.Out);
        Assert.DoesNotContain($"{repository}:v3", dry.Out);
        Assert.Equal(["latest", "v1", "v2", "v3"], await TagsAsync(repository));
        Assert.Equal("configuration", (await registry.RunAsync("retention", "--json")).Json.GetProperty("source").GetString());

        var dryJson = await registry.RunAsync("retention", "set", file, "--dry-run", "--json");
        Assert.True(dryJson.ExitCode == 0, dryJson.ToString());
        Assert.True(dryJson.Json.GetProperty("dryRun").GetBoolean());
        Assert.DoesNotContain(dryJson.Json.GetProperty("report").GetProperty("items").GetProperty("tags").EnumerateArray(),
            t => t.GetString()!.StartsWith(repository, StringComparison.Ordinal));

        var set = await registry.RunAsync("retention", "set", file);
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.StartsWith("retention rules: set through the API at", set.Out);
        var lines = set.Out.Split('\n');
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^REPOSITORY\s+KEEP NEWEST\s+DELETE OLDER THAN\s+KEEP TAGS\s+DELETE UNTAGGED$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^ret/\*\*\s+1\s+30d00h\s+latest\s+default$"));
        var json = (await registry.RunAsync("retention", "--json")).Json;
        Assert.Equal("api", json.GetProperty("source").GetString());
        Assert.Equal("30.00:00:00", json.GetProperty("rules")[0].GetProperty("deleteOlderThan").GetString());

        // The saved rule applies to the next cycle: with keepNewest alone now, v1 and v2 go.
        Assert.Equal(0, (await registry.RunAsync("retention", "set", WriteRules("""{"rules":[{"repository":"ret/**","keepNewest":1,"keepTags":["latest"]}]}"""))).ExitCode);
        var gc = await registry.RunAsync("gc", "--wait");
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal(["latest", "v3"], await TagsAsync(repository));

        var reset = await registry.RunAsync("retention", "reset", "--json");
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal("configuration", reset.Json.GetProperty("source").GetString());
        Assert.StartsWith("retention rules: from the configuration", (await registry.RunAsync("retention", "reset")).Out);
    }

    [Fact]
    public async Task BadFilesAndBadRulesAreUsageErrors()
    {
        var missing = await registry.RunAsync("retention", "set", Path.Combine(registry.Root, "missing.json"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("cannot read", missing.Error);

        var invalid = await registry.RunAsync("retention", "set", WriteRules("""{"rules":[{"repository":"Ret/*","keepNewest":-2}]}"""), "--dry-run");
        Assert.Equal(2, invalid.ExitCode);
        Assert.Contains("RETENTION_INVALID: rules[0].repository 'Ret/*' is not a repository glob", invalid.Error);
        Assert.Contains("rules[0].keepNewest must not be negative", invalid.Error);
        Assert.Equal("", invalid.Out);
    }
}
