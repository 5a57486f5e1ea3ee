using System.Net;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Api;

/// <summary>
/// What the web UI and the CLI read: status counts and bytes, repository lists (filter, sort, pages, unique and shared
/// bytes, last pull), tags (sizes, last pull, referrers) and every manifest of a repository. Each test has a store of
/// its own, so the totals are exact.
/// </summary>
public sealed class AdminViewsTests
{
    internal static async Task<JsonObject> GetJsonAsync(RegistryClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await AdminApi.JsonAsync(response, HttpStatusCode.OK);
    }

    /// <summary>An image whose layers have the given contents (the same bytes in two repositories are one shared blob).</summary>
    internal static async Task<PushedManifest> PushImageAsync(RegistryClient client, string repository, string? tag, params byte[][] layers)
    {
        var config = await client.PushBlobAsync(repository, TestContent.Utf8($"{{\"id\":\"{Guid.NewGuid()}\"}}"), OciConfigType);
        var refs = new List<BlobRef>();
        foreach (var layer in layers) refs.Add(await client.PushBlobAsync(repository, layer));
        var body = Bytes(Image(config, refs));
        return await client.PushManifestAsync(repository, tag ?? Digest.Compute(body).ToString(), body, MediaTypes.OciManifest);
    }

    private static long ManifestTotal(PushedManifest manifest, params byte[][] layers) => manifest.Body.Length + layers.Sum(l => l.Length);

    [Fact]
    public async Task Status_counts_repositories_tags_manifests_and_splits_the_stored_bytes()
    {
        await using var registry = await GcRegistry.StartAsync();
        var client = registry.Client;
        var layer = TestContent.RandomBytes(3000);
        var image = await client.PushImageAsync("status/app", "1.0");
        await client.PushManifestAsync("status/app", "1.1", image.Manifest.Body, image.Manifest.MediaType);
        var other = await PushImageAsync(client, "status/other", "latest", layer);
        var stray = await client.PushRandomBlobAsync("status/app", 700);
        await client.StartUploadAsync("status/app");
        var dryRun = await client.RunGcAsync(dryRun: true);

        var status = await GetJsonAsync(client, "/api/status");

        var counts = status["counts"]!.AsObject();
        Assert.Equal(2, counts.Number("repositories"));
        Assert.Equal(3, counts.Number("tags"));
        Assert.Equal(2, counts.Number("manifests"));
        // Two configs, two layers and the stray blob; the manifests are counted apart.
        Assert.Equal(5, counts.Number("blobs"));
        var storage = status["storage"]!.AsObject();
        Assert.Equal(image.Manifest.Body.Length + other.Body.Length, storage.Number("manifestBytes"));
        Assert.Equal(storage.Number("bytes") - storage.Number("manifestBytes"), storage.Number("blobBytes"));
        Assert.Equal(1, storage.Number("unreferencedBlobs"));
        Assert.Equal(stray.Size, storage.Number("unreferencedBytes"));
        var uploads = status["uploads"]!.AsObject();
        Assert.Equal(1, uploads.Number("inFlight"));
        Assert.Equal(0, uploads.Number("stagedBytes"));
        var history = status["gc"]!["history"]!.AsArray();
        Assert.Equal(dryRun.Number("id"), history[0]!["id"]!.GetValue<long>());
        Assert.Equal(2, status.Number("repositories"));
    }

    [Fact]
    public async Task Repositories_filter_sort_and_page_with_unique_and_shared_bytes_and_the_last_pull()
    {
        await using var registry = await GcRegistry.StartAsync();
        var client = registry.Client;
        var shared = TestContent.RandomBytes(4000);
        var big = TestContent.RandomBytes(9000);
        var small = TestContent.RandomBytes(100);
        var a = await PushImageAsync(client, "team/a", "1", shared, big);
        var b = await PushImageAsync(client, "team/b", "1", shared, small);
        await PushImageAsync(client, "team/b", "2", small);
        await PushImageAsync(client, "other/c", "1", small);
        using (var pull = await client.GetAsync($"/v2/team/b/manifests/1"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.OK, pull);
        }
        // The one-repository view goes through the repository's grain, which writes the pull times it holds first; lists
        // show pull times as written (at most a minute late), so this one shows in them from here on.
        Assert.NotNull((await GetJsonAsync(client, "/api/repositories/team/b"))["lastPulledAt"]);

        var page = await GetJsonAsync(client, "/api/repositories?q=TEAM&sort=size&order=desc");
        var rows = page["repositories"]!.AsArray().Select(r => r!.AsObject()).ToArray();
        Assert.Equal(["team/a", "team/b"], rows.Select(r => r["name"]!.GetValue<string>()));
        Assert.Equal(2, page.Number("total"));
        var rowA = rows[0];
        Assert.Equal(4000, rowA.Number("sharedBytes"));
        Assert.Equal(rowA.Number("sizeBytes") - 4000, rowA.Number("uniqueBytes"));
        Assert.Equal(ManifestTotal(a, shared, big) + ConfigSize(rowA, a, shared, big), rowA.Number("sizeBytes"));
        Assert.Null(rowA["lastPulledAt"]);
        Assert.NotNull(rows[1]["lastPulledAt"]);
        // "small" is in team/b and other/c: shared too.
        Assert.Equal(4100, rows[1].Number("sharedBytes"));

        var pulled = await GetJsonAsync(client, "/api/repositories?sort=pulled");
        Assert.Equal("team/b", pulled["repositories"]![0]!["name"]!.GetValue<string>());
        var byTags = await GetJsonAsync(client, "/api/repositories?sort=tags&order=desc&n=1&offset=0");
        Assert.Equal("team/b", byTags["repositories"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(3, byTags.Number("total"));
        var second = await GetJsonAsync(client, "/api/repositories?sort=name&order=asc&n=1&offset=1");
        Assert.Equal("team/a", second["repositories"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(1, second.Number("offset"));

        // Name order keeps the cursor the CLI follows, in the body and in a Link header.
        using var first = await client.GetAsync("/api/repositories?n=2");
        var firstPage = await AdminApi.JsonAsync(first, HttpStatusCode.OK);
        Assert.Equal("team/a", firstPage["next"]!.GetValue<string>());
        Assert.Equal("</api/repositories?n=2&last=team%2Fa>; rel=\"next\"", OciAssert.Header(first, "Link"));
        var last = await GetJsonAsync(client, "/api/repositories?n=2&last=team%2Fa");
        Assert.Equal(["team/b"], last["repositories"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        Assert.Null(last["next"]);
        _ = b;
    }

    /// <summary>The config's size: what the row holds beyond the manifest and the layers.</summary>
    private static long ConfigSize(JsonObject row, PushedManifest manifest, params byte[][] layers) =>
        row.Number("sizeBytes") - ManifestTotal(manifest, layers);

    [Fact]
    public async Task Tags_carry_unique_and_shared_bytes_the_last_pull_and_their_referrers()
    {
        await using var registry = await GcRegistry.StartAsync();
        var client = registry.Client;
        var shared = TestContent.RandomBytes(5000);
        var own = TestContent.RandomBytes(600);
        var one = await PushImageAsync(client, "tags/app", "one", shared, own);
        await PushImageAsync(client, "tags/app", "two", shared);
        await client.PushBlobAsync("tags/app", EmptyJson, MediaTypes.OciEmpty);
        var signatureLayer = await client.PushRandomBlobAsync("tags/app", 90, "application/vnd.example.signature");
        var signatureBody = Bytes(Image(EmptyConfig, [signatureLayer], artifactType: "application/vnd.example.signature",
            subject: one.Ref, annotations: new Dictionary<string, string> { ["org.example.signer"] = "<b>ci</b>" }));
        var signature = await client.PushManifestAsync("tags/app", Digest.Compute(signatureBody).ToString(), signatureBody, MediaTypes.OciManifest);
        using (var pull = await client.GetAsync("/v2/tags/app/manifests/one"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.OK, pull);
        }

        var tags = (await GetJsonAsync(client, "/api/repositories/tags/app/tags"))["tags"]!.AsArray().Select(t => t!.AsObject()).ToArray();

        var first = tags.Single(t => t["tag"]!.GetValue<string>() == "one");
        Assert.Equal(5000, first.Number("sharedBytes"));
        Assert.Equal(first.Number("sizeBytes") - 5000, first.Number("uniqueBytes"));
        Assert.True(first.Number("uniqueBytes") >= 600 + one.Body.Length);
        Assert.NotNull(first["lastPulledAt"]);
        var referrer = first["referrers"]!.AsArray().Single()!.AsObject();
        Assert.Equal(signature.Digest.ToString(), referrer["digest"]!.GetValue<string>());
        Assert.Equal("application/vnd.example.signature", referrer["artifactType"]!.GetValue<string>());
        Assert.Equal(MediaTypes.OciManifest, referrer["mediaType"]!.GetValue<string>());
        Assert.Equal(signatureBody.Length, referrer.Number("sizeBytes"));
        Assert.Equal("<b>ci</b>", referrer["annotations"]!["org.example.signer"]!.GetValue<string>());
        var second = tags.Single(t => t["tag"]!.GetValue<string>() == "two");
        Assert.Null(second["lastPulledAt"]);
        Assert.Empty(second["referrers"]!.AsArray());
        Assert.Equal(5000, second.Number("sharedBytes"));
    }

    [Fact]
    public async Task Manifests_name_the_indexes_that_list_them()
    {
        await using var registry = await GcRegistry.StartAsync();
        var client = registry.Client;
        var amd64 = await client.PushImageAsync("manifests/multi", tag: null);
        var arm64 = await client.PushImageAsync("manifests/multi", tag: null);
        var indexBody = Bytes(Index([amd64.Manifest.Ref, arm64.Manifest.Ref]));
        var index = await client.PushManifestAsync("manifests/multi", "v1", indexBody, MediaTypes.OciIndex);

        var list = await GetJsonAsync(client, "/api/repositories/manifests/multi/manifests");

        var manifests = list["manifests"]!.AsArray().Select(m => m!.AsObject()).ToDictionary(m => m["digest"]!.GetValue<string>());
        foreach (var child in new[] { amd64, arm64 })
        {
            Assert.Equal([index.Digest.ToString()], manifests[child.Digest.ToString()]["indexes"]!.AsArray().Select(d => d!.GetValue<string>()));
        }
        Assert.Empty(manifests[index.Digest.ToString()]["indexes"]!.AsArray());
    }

    [Fact]
    public async Task Manifests_lists_every_manifest_tagged_or_not_with_tags_pull_and_subject()
    {
        await using var registry = await GcRegistry.StartAsync();
        var client = registry.Client;
        var tagged = await client.PushImageAsync("manifests/app", "v1");
        await client.PushManifestAsync("manifests/app", "v1-again", tagged.Manifest.Body, tagged.Manifest.MediaType);
        var untagged = await client.PushImageAsync("manifests/app", tag: null);
        await client.PushBlobAsync("manifests/app", EmptyJson, MediaTypes.OciEmpty);
        var sbomBody = Bytes(Image(EmptyConfig, [await client.PushRandomBlobAsync("manifests/app", 50)], artifactType: "application/spdx+json", subject: tagged.Manifest.Ref));
        var sbom = await client.PushManifestAsync("manifests/app", Digest.Compute(sbomBody).ToString(), sbomBody, MediaTypes.OciManifest);
        using (var pull = await client.GetAsync($"/v2/manifests/app/manifests/{untagged.Digest}"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.OK, pull);
        }

        var list = await GetJsonAsync(client, "/api/repositories/manifests/app/manifests");

        var manifests = list["manifests"]!.AsArray().Select(m => m!.AsObject()).ToDictionary(m => m["digest"]!.GetValue<string>());
        Assert.Equal(3, manifests.Count);
        Assert.Equal(3, list.Number("total"));
        Assert.Equal(["v1", "v1-again"], manifests[tagged.Digest.ToString()]["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Empty(manifests[untagged.Digest.ToString()]["tags"]!.AsArray());
        Assert.NotNull(manifests[untagged.Digest.ToString()]["lastPulledAt"]);
        Assert.Null(manifests[tagged.Digest.ToString()]["lastPulledAt"]);
        Assert.Equal(tagged.Digest.ToString(), manifests[sbom.Digest.ToString()]["subject"]!.GetValue<string>());
        Assert.Equal("application/spdx+json", manifests[sbom.Digest.ToString()]["artifactType"]!.GetValue<string>());
        Assert.True(manifests[untagged.Digest.ToString()].Number("sizeBytes") > untagged.Manifest.Body.Length);

        var paged = await GetJsonAsync(client, "/api/repositories/manifests/app/manifests?n=2");
        Assert.Equal(2, paged["manifests"]!.AsArray().Count);
        var rest = await GetJsonAsync(client, $"/api/repositories/manifests/app/manifests?n=2&last={paged["next"]!.GetValue<string>()}");
        Assert.Single(rest["manifests"]!.AsArray());
        Assert.Null(rest["next"]);

        using var unknown = await client.GetAsync("/api/repositories/manifests/none/manifests");
        await AdminApi.ErrorAsync(unknown, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task Bad_list_parameters_are_a_400_with_an_error_document()
    {
        await using var registry = await GcRegistry.StartAsync();
        foreach (var path in new[] { "/api/repositories?sort=color", "/api/repositories?order=up", "/api/repositories?offset=-1", "/api/repositories?sort=size&last=a" })
        {
            using var response = await registry.Client.GetAsync(path);
            await AdminApi.ErrorAsync(response, HttpStatusCode.BadRequest, "PARAMETER_INVALID");
        }
    }
}
