using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Http;

/// <summary>
/// A repository with 20,000 tags pages exactly: following <c>Link</c> with any <c>n</c> yields every tag once, in
/// order, and a deleted tag is on no page. The pages are key-range reads of the tag rows.
/// </summary>
public sealed class ManyTagsPaginationTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const int TagCount = 20_000;

    private RegistryClient Client => registry.Client;

    [Fact]
    public async Task TwentyThousandTags_PageExactly_AndADeletedTagLeavesEveryPage()
    {
        var repository = TestContent.Repository("manytags");
        var (config, layer) = await Client.PushConfigAndLayerAsync(repository);
        var body = Bytes(Image(config, [layer]));
        var digest = Digest.Compute(body);
        var tags = Enumerable.Range(0, TagCount).Select(i => $"build-{i:D5}").ToArray();
        foreach (var batch in tags.Chunk(100))
        {
            using var put = await Client.SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{digest}?{string.Join('&', batch.Select(t => "tag=" + t))}",
                RegistryClient.Content(body, MediaTypes.OciManifest));
            await OciAssert.StatusAsync(HttpStatusCode.Created, put);
        }
        var expected = tags.Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(expected, await WalkAsync(repository, 1000));
        Assert.Equal(expected, await WalkAsync(repository, 777));

        var doomed = expected[12_345];
        using (var delete = await Client.SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{doomed}"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, delete);
        }
        var remaining = expected.Where(t => t != doomed).ToArray();
        Assert.Equal(remaining, await WalkAsync(repository, 1000));
        Assert.Equal(remaining, await WalkAsync(repository, 333));
        // A page that starts right at the deleted tag's place.
        Assert.Equal(remaining.Skip(12_345).Take(5), await PageAsync($"/v2/{repository}/tags/list?n=5&last={expected[12_344]}"));
        Assert.Equal(remaining.Skip(12_345).Take(5), await PageAsync($"/v2/{repository}/tags/list?n=5&last={doomed}"));
    }

    /// <summary>Every tag, following the <c>Link</c> headers from the first page; each page holds at most <paramref name="n"/>.</summary>
    private async Task<List<string>> WalkAsync(string repository, int n)
    {
        var all = new List<string>();
        string? next = $"/v2/{repository}/tags/list?n={n}";
        while (next is not null)
        {
            using var response = await Client.GetAsync(next);
            await OciAssert.StatusAsync(HttpStatusCode.OK, response);
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
            Assert.InRange(page.Length, 1, n);
            all.AddRange(page);
            next = response.Headers.TryGetValues("Link", out var links) ? links.Single().Split('>')[0].TrimStart('<') : null;
            if (next is null) continue;
            Assert.Equal(n, page.Length);
        }
        return all;
    }

    private async Task<string[]> PageAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
    }
}
