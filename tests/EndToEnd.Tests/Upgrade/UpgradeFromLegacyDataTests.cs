using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Upgrade;

/// <summary>
/// A data dir written by the previous release (Fixtures/legacy-data.tar.gz, made by make-legacy-data.sh: one
/// serialized state per repository) is upgraded to rows on the first start: the catalog, every tag, every manifest
/// and blob (bit-identical: their bytes hash to their digests) and the referrers come back, through a GC cycle and
/// a restart too, and fsck finds nothing left in the old format.
/// </summary>
public sealed class UpgradeFromLegacyDataTests(ITestOutputHelper output)
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    [Fact]
    public Task TheLastReleasesDataDir_IsUpgradedInPlace_AndPullsBackIdentical() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var data = scope.NewTempDirectory("legacy-data").Path;
        await Tool.RunCheckedAsync("tar", ["-C", data, "-xzf", Path.Combine(Fixtures, "legacy-data.tar.gz")], ct);
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Fixtures, "legacy-data.expected.json"), ct))!;
        var registry = await scope.StartRegistryAsync(dataDir: data, environment: new Dictionary<string, string> { ["NSCR_GC_GRACE"] = "0" });
        // The fixture's database holds 3 repository states and 23 blob states (one per stored blob).
        Assert.Contains("Upgrade of the stored state to rows done: 3 repositories and 23 blobs", registry.Log);

        scope.Step("everything pulls back after the upgrade");
        await AssertEverythingAsync(registry, expected, ct);
        var fsck = await JsonAsync(registry, HttpMethod.Post, "/api/fsck", ct);
        Assert.True(fsck["ok"]!.GetValue<bool>(), fsck.ToJsonString());
        Assert.Empty(fsck["uncataloged"]!.AsArray());

        scope.Step("a GC cycle keeps it all");
        await JsonAsync(registry, HttpMethod.Post, "/api/gc?wait=true", ct);
        await AssertEverythingAsync(registry, expected, ct);

        scope.Step("and so does a restart, which finds nothing left to upgrade");
        await registry.RestartAsync(ct);
        await AssertEverythingAsync(registry, expected, ct);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(registry.Log, "Upgrade of the stored state to rows done"));
    });

    private static async Task AssertEverythingAsync(RegistryProcess registry, JsonNode expected, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = registry.BaseAddress };
        var catalog = await GetJsonAsync(http, "/v2/_catalog", ct);
        Assert.Equal(Strings(expected["catalog"]!), Strings(catalog["repositories"]!));
        foreach (var (repository, tags) in expected["tags"]!.AsObject())
        {
            var listed = await GetJsonAsync(http, $"/v2/{repository}/tags/list", ct);
            Assert.Equal(Strings(tags!), Strings(listed["tags"]!));
        }
        var repositories = (await GetJsonAsync(http, "/api/repositories", ct))["repositories"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>());
        foreach (var (repository, digests) in expected["manifests"]!.AsObject())
        {
            // Each manifest and blob once: the size the repository keeps, computed again after the blobs' upgrade.
            var sizes = new Dictionary<string, long>();
            foreach (var digest in Strings(digests!))
            {
                var body = await GetVerifiedAsync(http, $"/v2/{repository}/manifests/{digest}", digest, ct);
                sizes[digest] = body.Length;
                var manifest = JsonNode.Parse(body)!;
                var blobs = (manifest["layers"]?.AsArray() ?? []).Append(manifest["config"]).OfType<JsonNode>().ToArray();
                foreach (var blob in blobs)
                {
                    var blobDigest = blob["digest"]!.GetValue<string>();
                    await GetVerifiedAsync(http, $"/v2/{repository}/blobs/{blobDigest}", blobDigest, ct);
                    sizes[blobDigest] = blob["size"]!.GetValue<long>();
                }
            }
            Assert.Equal(sizes.Values.Sum(), repositories[repository]!["sizeBytes"]!.GetValue<long>());
        }
        foreach (var (subject, referrers) in expected["referrers"]!.AsObject())
        {
            var (repository, digest) = (subject[..subject.IndexOf('@')], subject[(subject.IndexOf('@') + 1)..]);
            var index = await GetJsonAsync(http, $"/v2/{repository}/referrers/{digest}", ct);
            Assert.Equal(Strings(referrers!), index["manifests"]!.AsArray().Select(m => m!["digest"]!.GetValue<string>()).ToArray());
        }
    }

    private static async Task<byte[]> GetVerifiedAsync(HttpClient http, string path, string digest, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.index.v1+json"));
        using var response = await http.SendAsync(request, ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));
        return bytes;
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
    }

    private static async Task<JsonNode> JsonAsync(RegistryProcess registry, HttpMethod method, string path, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = registry.BaseAddress };
        using var response = await http.SendAsync(new HttpRequestMessage(method, path), ct);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
    }

    private static string[] Strings(JsonNode array) => array.AsArray().Select(n => n!.GetValue<string>()).ToArray();
}
