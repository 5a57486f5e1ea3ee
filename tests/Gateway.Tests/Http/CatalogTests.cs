using System.Net;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Http;

/// <summary>The catalog spans the whole registry: each test looks only at names under its own prefix.</summary>
public sealed class CatalogTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    private async Task<(string Prefix, string[] Names)> PushRepositoriesAsync(int count)
    {
        var prefix = $"catalog-{Guid.NewGuid().ToString("N")[..8]}";
        var suffixes = new[] { "zeta", "alpha", "mid/deep/name", "b-2", "b_1", "a.b", "x" };
        var names = suffixes.Take(count).Select(s => $"{prefix}/{s}").ToArray();
        foreach (var name in names) await Client.PushImageAsync(name, "v1");
        return (prefix, [.. names.Order(StringComparer.Ordinal)]);
    }

    [Fact]
    public async Task Catalog_DoesNotListARepositoryHoldingOnlyBlobs()
    {
        var name = $"catalog-{Guid.NewGuid().ToString("N")[..8]}/blobs-only";
        await Client.PushRandomBlobAsync(name, 16);

        var pages = await Client.GetAllPagesAsync("/v2/_catalog", "repositories");

        Assert.DoesNotContain(name, pages.SelectMany(p => p.Items));
    }

    [Fact]
    public async Task Catalog_ListsRepositoriesInLexicalOrder()
    {
        var (prefix, names) = await PushRepositoriesAsync(7);

        var page = await Client.GetPageAsync("/v2/_catalog", "repositories");

        Assert.Equal(page.Items.Order(StringComparer.Ordinal), page.Items);
        Assert.Equal(names, page.Items.Where(n => n.StartsWith(prefix + "/", StringComparison.Ordinal)).ToArray());
        Assert.Null(page.Next);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Catalog_WithNAndLast_FollowingLink_ReturnsEachNameOnce(int n)
    {
        var (prefix, names) = await PushRepositoriesAsync(7);

        // 'prefix' sorts just before 'prefix/…', so the walk starts at this test's repositories.
        var pages = await Client.GetAllPagesAsync($"/v2/_catalog?n={n}&last={prefix}", "repositories");
        var listed = pages.SelectMany(p => p.Items).ToArray();

        Assert.Equal(names, listed.Where(r => r.StartsWith(prefix + "/", StringComparison.Ordinal)).ToArray());
        Assert.Equal(names, listed.Take(names.Length).ToArray());
        Assert.Equal(listed.Distinct().Count(), listed.Length);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(n, p.Items.Count));
        Assert.All(pages.SkipLast(1), p => Assert.StartsWith("/v2/_catalog?", p.Next));
    }

    [Fact]
    public async Task Catalog_WithNZero_IsEmpty_WithoutLink()
    {
        await PushRepositoriesAsync(2);

        var page = await Client.GetPageAsync("/v2/_catalog?n=0", "repositories");

        Assert.Empty(page.Items);
        Assert.Null(page.Next);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("-3")]
    public async Task Catalog_WithABadN_Is400(string n)
    {
        using var response = await Client.GetAsync($"/v2/_catalog?n={n}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }
}
