using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api;

/// <summary>
/// <c>/api/retention</c> on a registry configured with one rule: the configured policy, strict validation, a dry run
/// that reports what proposed rules would delete and changes nothing, rules saved in grain storage that outlive a
/// restart and drive the next cycle, and the way back to the configuration.
/// </summary>
public sealed class RetentionApiTests(ConfiguredRetentionRegistry shared) : IClassFixture<ConfiguredRetentionRegistry>
{
    public static readonly Dictionary<string, string> Configured = new()
    {
        ["Retention:0:Repository"] = "configured/**",
        ["Retention:0:KeepNewest"] = "3",
        ["Retention:0:KeepTags:0"] = "latest",
    };

    public static async Task<JsonObject> SendAsync(RegistryClient client, HttpMethod method, string path, string? body = null, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(method, path, content);
        return await AdminApi.JsonAsync(response, status);
    }

    private static string[] Tags(JsonObject rules) => rules["rules"]!.AsArray().Select(r => r!["repository"]!.GetValue<string>()).ToArray();

    private static async Task<IReadOnlyList<string>> TagListAsync(RegistryClient client, string repository) =>
        (await client.GetPageAsync($"/v2/{repository}/tags/list", "tags")).Items;

    [Fact]
    public async Task A_dry_run_reports_without_saving_a_saved_policy_survives_a_restart_and_the_next_cycle_applies_it()
    {
        await using var registry = await GcRegistry.StartAsync(Configured);
        var client = registry.Client;
        foreach (var tag in new[] { "latest", "v1", "v2", "v3" }) await client.PushImageAsync("ci/app", tag);

        var configured = await SendAsync(client, HttpMethod.Get, "/api/retention");
        Assert.Equal("configuration", configured["source"]!.GetValue<string>());
        Assert.Equal(["configured/**"], Tags(configured));
        Assert.Equal(3, configured["rules"]![0]!["keepNewest"]!.GetValue<int>());
        Assert.Null(configured["rules"]![0]!["deleteOlderThan"]);
        Assert.Null(configured["updatedAt"]);

        const string rules = """{"rules":[{"repository":"ci/**","keepTags":["latest"],"keepNewest":1,"deleteUntagged":true}]}""";
        var dry = await SendAsync(client, HttpMethod.Put, "/api/retention?dryRun=true", rules);
        Assert.True(dry["dryRun"]!.GetValue<bool>());
        Assert.Equal(1, dry["rules"]![0]!["keepNewest"]!.GetValue<int>());
        var report = dry["report"]!.AsObject();
        Assert.True(report["dryRun"]!.GetValue<bool>());
        Assert.Equal("retention", report["trigger"]!.GetValue<string>());
        Assert.Equal(["ci/app:v1", "ci/app:v2"], report.Items("tags").Order());
        // Nothing changed: the tags, and the policy in force.
        Assert.Equal(["latest", "v1", "v2", "v3"], await TagListAsync(client, "ci/app"));
        Assert.Equal("configuration", (await SendAsync(client, HttpMethod.Get, "/api/retention"))["source"]!.GetValue<string>());

        // Saved with a second rule that uses every field, so the restart below reads each of them back from storage.
        var saved = await SendAsync(client, HttpMethod.Put, "/api/retention", rules.Replace(
            "}]}", """},{"repository":"other/*","keepTags":["v*","stable"],"keepNewest":0,"deleteOlderThan":"30d","deleteUntagged":false}]}""",
            StringComparison.Ordinal));
        Assert.Equal("api", saved["source"]!.GetValue<string>());
        Assert.Equal(["ci/**", "other/*"], Tags(saved));
        Assert.Equal("30.00:00:00", saved["rules"]![1]!["deleteOlderThan"]!.GetValue<string>());
        Assert.NotNull(saved["updatedAt"]);

        await registry.RestartAsync();
        client = registry.Client;
        var afterRestart = await SendAsync(client, HttpMethod.Get, "/api/retention");
        Assert.Equal("api", afterRestart["source"]!.GetValue<string>());
        Assert.Equal(saved.ToJsonString(), afterRestart.ToJsonString());

        var cycle = await client.RunGcAsync();
        Assert.Equal(["ci/app:v1", "ci/app:v2"], cycle.Items("tags").Order());
        Assert.Equal(["latest", "v3"], await TagListAsync(client, "ci/app"));

        var reset = await SendAsync(client, HttpMethod.Delete, "/api/retention");
        Assert.Equal("configuration", reset["source"]!.GetValue<string>());
        Assert.Equal(["configured/**"], Tags(reset));
        Assert.Null(reset["updatedAt"]);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("""{"rule":[]}""", "\"rules\" array")]
    [InlineData("""{"rules":[{"repository":"Team/*"}]}""", "rules[0].repository 'Team/*' is not a repository glob")]
    [InlineData("""{"rules":[{"keepNewest":1}]}""", "rules[0].repository must be a string")]
    [InlineData("""{"rules":[{"repository":"a/*","keepNewest":-1}]}""", "rules[0].keepNewest must not be negative")]
    [InlineData("""{"rules":[{"repository":"a/*","keepNewest":"five"}]}""", "rules[0].keepNewest must be a whole number")]
    [InlineData("""{"rules":[{"repository":"a","deleteOlderThan":"soon"}]}""", "rules[0].deleteOlderThan must be a duration")]
    [InlineData("""{"rules":[{"repository":"a","deleteOlderThan":"0"}]}""", "rules[0].deleteOlderThan must be positive")]
    [InlineData("""{"rules":[{"repository":"a","keepTags":["a b"]}]}""", "rules[0].keepTags 'a b' is not a tag glob")]
    [InlineData("""{"rules":[{"repository":"a","keepLast":3}]}""", "unknown property 'keepLast'")]
    [InlineData("""{"rules":[{"repository":"a","deleteUntagged":"yes"}]}""", "rules[0].deleteUntagged must be true, false or null")]
    public async Task Invalid_rules_are_a_400_naming_the_problem_and_change_nothing(string body, string problem)
    {
        var registry = shared;
        foreach (var path in new[] { "/api/retention", "/api/retention?dryRun=true" })
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await registry.Client.SendAsync(HttpMethod.Put, path, content);
            Assert.Contains(problem, await AdminApi.ErrorAsync(response, HttpStatusCode.BadRequest, "RETENTION_INVALID"));
        }
        var policy = await SendAsync(registry.Client, HttpMethod.Get, "/api/retention");
        Assert.Equal("configuration", policy["source"]!.GetValue<string>());
        var gc = await SendAsync(registry.Client, HttpMethod.Get, "/api/gc");
        Assert.Empty(gc["history"]!.AsArray());
    }

    [Fact]
    public async Task An_empty_rule_list_replaces_the_configured_rules()
    {
        await using var registry = await GcRegistry.StartAsync(Configured);
        var client = registry.Client;
        foreach (var tag in new[] { "1", "2", "3", "4", "5" }) await client.PushImageAsync("configured/app", tag);

        // A duration is read as in the configuration and written as d.hh:mm:ss.
        var week = await SendAsync(client, HttpMethod.Put, "/api/retention", """{"rules":[{"repository":"x","deleteOlderThan":"7d"}]}""");
        Assert.Equal("7.00:00:00", week["rules"]![0]!["deleteOlderThan"]!.GetValue<string>());
        Assert.Empty(week["rules"]![0]!["keepTags"]!.AsArray());
        Assert.Null(week["rules"]![0]!["deleteUntagged"]);
        var saved = await SendAsync(client, HttpMethod.Put, "/api/retention", """{"rules":[]}""");
        Assert.Equal("api", saved["source"]!.GetValue<string>());
        Assert.Empty(saved["rules"]!.AsArray());
        await client.RunGcAsync();
        Assert.Equal(5, (await TagListAsync(client, "configured/app")).Count);

        await SendAsync(client, HttpMethod.Delete, "/api/retention");
        await client.RunGcAsync();
        Assert.Equal(["3", "4", "5"], await TagListAsync(client, "configured/app"));
    }
}

/// <summary>A registry configured with <see cref="RetentionApiTests.Configured"/>, shared by the validation cases.</summary>
public sealed class ConfiguredRetentionRegistry() : GcRegistry(RetentionApiTests.Configured);
