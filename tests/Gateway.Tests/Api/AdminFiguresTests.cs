using System.Net;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using static Nscr.Gateway.Tests.Api.AdminViewsTests;

namespace Nscr.Gateway.Tests.Api;

/// <summary>
/// The admin figures read from the rows, over HTTP with real pushes: usage and the repository list after a manifest
/// delete and after a GC cycle, pages of <c>/api/usage</c> and of the web UI's tag page. Each test has a store of its
/// own, so the totals are exact.
/// </summary>
public sealed class AdminFiguresTests
{
    private static Dictionary<string, JsonObject> ByName(JsonObject page) =>
        page["repositories"]!.AsArray().Select(r => r!.AsObject()).ToDictionary(r => r["name"]!.GetValue<string>());

    [Fact]
    public async Task Usage_and_the_repository_list_follow_a_manifest_delete_and_a_gc_cycle()
    {
        await using var registry = await GcRegistry.StartAsync();
        var client = registry.Client;
        var shared = TestContent.RandomBytes(6000);
        var own = TestContent.RandomBytes(900);
        await PushImageAsync(client, "figures/a", "1", shared, own);
        var b = await PushImageAsync(client, "figures/b", "1", shared);

        var before = await GetJsonAsync(client, "/api/usage");
        var rows = ByName(before);
        Assert.Equal(6000, rows["figures/a"].Number("sharedBytes"));
        Assert.Equal(6000, rows["figures/b"].Number("sharedBytes"));
        var totals = before["totals"]!.AsObject();
        Assert.Equal(6000, totals.Number("sharedBytes"));
        Assert.Equal(0, totals.Number("unreferencedBlobs"));
        Assert.Equal(totals.Number("storedBytes"), totals.Number("referencedBytes"));
        var sizeA = rows["figures/a"].Number("sizeBytes");
        // What deleting b gives back: its manifest and config, not the layer a still stands on.
        var freedByB = rows["figures/b"].Number("uniqueBytes");
        Assert.Equal(rows["figures/b"].Number("sizeBytes") - 6000, freedByB);

        using (var delete = await client.DeleteAsync($"/v2/figures/b/manifests/{b.Digest}"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, delete);
        }

        var afterDelete = await GetJsonAsync(client, "/api/usage");
        var a = ByName(afterDelete)["figures/a"];
        Assert.Equal(["figures/a"], ByName(afterDelete).Keys);
        Assert.Equal((sizeA, sizeA, 0L), (a.Number("sizeBytes"), a.Number("uniqueBytes"), a.Number("sharedBytes")));
        totals = afterDelete["totals"]!.AsObject();
        Assert.Equal((2L, freedByB), (totals.Number("unreferencedBlobs"), totals.Number("unreferencedBytes")));
        Assert.Equal(0, totals.Number("sharedBytes"));
        var listed = ByName(await GetJsonAsync(client, "/api/repositories"));
        Assert.Equal(["figures/a"], listed.Keys);
        Assert.Equal((sizeA, 0L), (listed["figures/a"].Number("sizeBytes"), listed["figures/a"].Number("sharedBytes")));

        await client.RunGcAsync();

        totals = (await GetJsonAsync(client, "/api/usage"))["totals"]!.AsObject();
        Assert.Equal((0L, 0L), (totals.Number("unreferencedBlobs"), totals.Number("unreferencedBytes")));
        Assert.Equal((sizeA, sizeA, sizeA), (totals.Number("storedBytes"), totals.Number("referencedBytes"), totals.Number("uniqueBytes")));
    }

    [Fact]
    public async Task Usage_pages_by_name_with_the_same_totals_and_the_tag_page_pages_exactly()
    {
        await using var registry = await GcRegistry.StartAsync();
        var client = registry.Client;
        var names = Enumerable.Range(0, 5).Select(i => $"pages/r{i}").ToArray();
        foreach (var name in names) await client.PushImageAsync(name, "1");
        var tags = Enumerable.Range(0, 5).Select(i => $"v{i}").ToArray();
        var image = await client.PushImageAsync("pages/tagged", tags[0]);
        foreach (var tag in tags.Skip(1)) await client.PushManifestAsync("pages/tagged", tag, image.Manifest.Body, image.Manifest.MediaType);

        var usage = await WalkAsync(client, "/api/usage?n=2", "repositories", "name");
        Assert.Equal(names.Append("pages/tagged"), usage.Items);
        Assert.Single(usage.Totals.Distinct());
        var tagPage = await WalkAsync(client, "/api/repositories/pages/tagged/tags?n=2", "tags", "tag");
        Assert.Equal(tags, tagPage.Items);
    }

    /// <summary>Follows <c>next</c> from <paramref name="path"/>: the items' keys and each page's totals (when it has any).</summary>
    private static async Task<(List<string> Items, List<string> Totals)> WalkAsync(RegistryClient client, string path, string list, string key)
    {
        var (items, totals) = (new List<string>(), new List<string>());
        var next = path;
        while (true)
        {
            var page = await GetJsonAsync(client, next);
            var shown = page[list]!.AsArray().Select(i => i![key]!.GetValue<string>()).ToArray();
            items.AddRange(shown);
            if (page["totals"] is { } pageTotals) totals.Add(pageTotals.ToJsonString());
            if (page["next"]?.GetValue<string>() is not { } cursor) return (items, totals);
            Assert.Equal(2, shown.Length);
            next = $"{path}&last={Uri.EscapeDataString(cursor)}";
        }
    }
}
