using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace Nscr.Gateway.Tests.Infrastructure;

/// <summary>One page of a paginated listing (tags or catalog) and the Link to the next.</summary>
public sealed record ListingPage(IReadOnlyList<string> Items, string? Next);

public static partial class Listings
{
    [GeneratedRegex("^<(?<url>[^>]+)>;\\s*rel=\"next\"$")]
    private static partial Regex LinkNext();

    /// <summary>Fetches one page; <paramref name="property"/> is <c>tags</c> or <c>repositories</c>.</summary>
    public static async Task<ListingPage> GetPageAsync(this RegistryClient client, string path, string property)
    {
        using var response = await client.GetAsync(path);
        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        var items = body![property]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
        string? next = null;
        if (response.Headers.TryGetValues("Link", out var links))
        {
            var match = LinkNext().Match(links.Single());
            Assert.True(match.Success, $"malformed Link header '{links.Single()}'");
            next = match.Groups["url"].Value;
        }
        return new ListingPage(items, next);
    }

    /// <summary>Follows Link headers from <paramref name="path"/> until there is none; returns every page.</summary>
    public static async Task<List<ListingPage>> GetAllPagesAsync(this RegistryClient client, string path, string property, int maxPages = 1000)
    {
        var pages = new List<ListingPage>();
        string? next = path;
        while (next is not null)
        {
            Assert.True(pages.Count < maxPages, "the Link header never ends");
            var page = await client.GetPageAsync(next, property);
            pages.Add(page);
            next = page.Next;
        }
        return pages;
    }
}
