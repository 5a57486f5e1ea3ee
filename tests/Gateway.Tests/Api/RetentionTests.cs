using System.Net;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api;

/// <summary>A registry with two rules: keep the newest two tags and "stable*" under retained/, keep untagged under keepall/.</summary>
public sealed class RetentionRegistry() : GcRegistry(new Dictionary<string, string>
{
    ["Retention:0:Repository"] = "retained/**",
    ["Retention:0:KeepNewest"] = "2",
    ["Retention:0:KeepTags:0"] = "stable*",
    ["Retention:1:Repository"] = "keepall/*",
    ["Retention:1:DeleteUntagged"] = "false",
});

public sealed class RetentionTests(RetentionRegistry registry) : IClassFixture<RetentionRegistry>
{
    private RegistryClient Client => registry.Client;

    [Fact]
    public async Task Retention_deletes_old_tags_after_a_dry_run_that_reports_them()
    {
        var repository = TestContent.Repository("retained/team");
        var images = new Dictionary<string, PushedImage>();
        foreach (var tag in new[] { "stable-1", "v1", "v2", "v3", "v4" }) images[tag] = await Client.PushImageAsync(repository, tag);

        var dry = await Client.RunGcAsync(dryRun: true);
        Assert.Equal([$"{repository}:v1", $"{repository}:v2"], dry.Items("tags").Where(t => t.StartsWith(repository, StringComparison.Ordinal)).Order());
        Assert.True(dry.Number("bytesReclaimed") >= images["v1"].Layers[0].Size + images["v2"].Layers[0].Size);
        Assert.Equal(5, (await Client.GetPageAsync($"/v2/{repository}/tags/list", "tags")).Items.Count);

        var report = await Client.RunGcAsync();

        Assert.Equal(["stable-1", "v3", "v4"], (await Client.GetPageAsync($"/v2/{repository}/tags/list", "tags")).Items);
        Assert.Contains($"{repository}@{images["v1"].Digest}", report.Items("manifests"));
        Assert.False(registry.BlobFileExists(images["v1"].Layers[0].Digest));
        Assert.True(registry.BlobFileExists(images["stable-1"].Layers[0].Digest));
    }

    [Fact]
    public async Task A_rule_can_keep_untagged_manifests_that_the_default_collects()
    {
        var kept = TestContent.Repository("keepall");
        var collected = TestContent.Repository("other");
        var keptImage = await Client.PushImageAsync(kept, tag: null);
        var collectedImage = await Client.PushImageAsync(collected, tag: null);

        await Client.RunGcAsync();

        Assert.Equal(HttpStatusCode.OK, await Client.ManifestStatusAsync(kept, keptImage.Digest.ToString()));
        Assert.Equal(HttpStatusCode.NotFound, await Client.ManifestStatusAsync(collected, collectedImage.Digest.ToString()));
    }
}
