using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Http;

public sealed class TagsTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    /// <summary>Tags pushed out of order; listed in ordinal ("ASCIIbetical") order as Go's sort.Strings does.</summary>
    private static readonly string[] Tags = ["v2", "latest", "1.0", "V1", "a", "_x", "v10", "1.1", "B"];

    private async Task<string> PushTagsAsync()
    {
        var repository = TestContent.Repository("tags");
        var image = await Client.PushImageAsync(repository, Tags[0]);
        foreach (var tag in Tags.Skip(1)) await Client.PushManifestAsync(repository, tag, image.Manifest.Body, MediaTypes.OciManifest);
        return repository;
    }

    private static string[] Sorted => [.. Tags.Order(StringComparer.Ordinal)];

    [Fact]
    public async Task List_IsInLexicalOrder_WithTheName()
    {
        var repository = await PushTagsAsync();

        using var response = await Client.GetAsync($"/v2/{repository}/tags/list");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(repository, body!["name"]!.GetValue<string>());
        Assert.Equal(Sorted, body["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray());
        Assert.False(response.Headers.Contains("Link"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public async Task List_WithN_FollowingLinkUntilExhausted_ReturnsEveryTagOnce(int n)
    {
        var repository = await PushTagsAsync();

        var pages = await Client.GetAllPagesAsync($"/v2/{repository}/tags/list?n={n}", "tags");

        Assert.Equal(Sorted, pages.SelectMany(p => p.Items).ToArray());
        Assert.All(pages.SkipLast(1), p => Assert.Equal(n, p.Items.Count));
        Assert.All(pages.SkipLast(1), p => Assert.StartsWith($"/v2/{repository}/tags/list?", p.Next));
        Assert.Null(pages[^1].Next);
        Assert.Equal((Tags.Length + n - 1) / n, pages.Count);
    }

    [Fact]
    public async Task List_WithNAsLargeAsTheList_HasNoLink()
    {
        var repository = await PushTagsAsync();

        var page = await Client.GetPageAsync($"/v2/{repository}/tags/list?n={Tags.Length}", "tags");

        Assert.Equal(Sorted, page.Items);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task List_WithNZero_IsEmpty_WithoutLink()
    {
        var repository = await PushTagsAsync();

        var page = await Client.GetPageAsync($"/v2/{repository}/tags/list?n=0", "tags");

        Assert.Empty(page.Items);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task List_WithLast_StartsAfterIt()
    {
        var repository = await PushTagsAsync();
        var sorted = Sorted;

        var afterThird = await Client.GetPageAsync($"/v2/{repository}/tags/list?last={sorted[2]}", "tags");
        var twoAfterThird = await Client.GetPageAsync($"/v2/{repository}/tags/list?n=2&last={sorted[2]}", "tags");
        var afterAbsent = await Client.GetPageAsync($"/v2/{repository}/tags/list?last=b", "tags");
        var afterLast = await Client.GetPageAsync($"/v2/{repository}/tags/list?last={sorted[^1]}", "tags");

        Assert.Equal(sorted[3..], afterThird.Items);
        Assert.Equal(sorted[3..5], twoAfterThird.Items);
        Assert.NotNull(twoAfterThird.Next);
        Assert.Equal(sorted.Where(t => string.CompareOrdinal(t, "b") > 0), afterAbsent.Items);
        Assert.Empty(afterLast.Items);
        Assert.Null(afterLast.Next);
    }

    [Fact]
    public async Task List_OfARepositoryWithoutTags_IsEmpty()
    {
        var repository = TestContent.Repository("tags");
        await Client.PushImageAsync(repository, "only");
        using var delete = await Client.DeleteAsync($"/v2/{repository}/manifests/only");

        var page = await Client.GetPageAsync($"/v2/{repository}/tags/list", "tags");

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, delete);
        Assert.Empty(page.Items);
    }

    [Fact]
    public async Task List_OfAnUnknownRepository_IsNameUnknown()
    {
        using var response = await Client.GetAsync($"/v2/{TestContent.Repository("tags")}/tags/list");

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public async Task List_WithABadN_Is400(string n)
    {
        var repository = await PushTagsAsync();

        using var response = await Client.GetAsync($"/v2/{repository}/tags/list?n={n}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }
}
