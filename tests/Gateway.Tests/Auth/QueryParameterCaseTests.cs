using System.Net;
using System.Text.Json;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>
/// Every spelling of every query parameter that steers a /v2/ request: the auth check and the endpoint read one parse,
/// so only the spec's own spelling has an effect, a repeated parameter counts once (its first value), and no spelling
/// turns a mount the caller may not make into a link.
/// </summary>
public sealed class QueryParameterCaseTests(AuthRegistry registry) : IClassFixture<AuthRegistry>
{
    private static readonly string[] SomeFromSpellings = ["from", "FROM", "From", "fRoM"];

    [Fact]
    public async Task AMountFromARepositoryTheCallerCannotPull_IsAPlainUploadStart_WhateverTheSpelling()
    {
        var secret = TestContent.Repository("secret");
        var layer = (await registry.Admin.PushRandomBlobAsync(secret)).Digest;
        var pullable = TestContent.Repository("team");
        await registry.Admin.PushRandomBlobAsync(pullable);
        var target = TestContent.Repository("team");
        var queries = new List<string>();
        foreach (var mount in CaseVariants.Of("mount"))
        {
            queries.AddRange(SomeFromSpellings.Select(from => $"{mount}={layer}&{from}={secret}"));
            queries.Add($"{mount}={layer}");
        }
        queries.AddRange(CaseVariants.Of("from").Select(from => $"mount={layer}&{from}={secret}"));
        queries.AddRange(CaseVariants.Other("from").Select(from => $"mount={layer}&from={pullable}&{from}={secret}"));
        queries.AddRange(CaseVariants.Other("from").Select(from => $"mount={layer}&{from}={pullable}&from={secret}"));
        queries.Add($"mount={layer}&from={secret}&from={pullable}");
        queries.Add($"mount={layer}&from={pullable}&from={secret}");
        queries.Add($"%6Dount={layer}&%66rom={secret}");
        queries.Add($"mount={layer}&from=%73ecret/{secret["secret/".Length..]}");
        using var http = registry.CreateHttp();

        foreach (var query in queries)
        {
            using var response = await PostAsync(http, "mounter", $"/v2/{target}/blobs/uploads/?{query}");
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"?{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Contains($"/v2/{target}/blobs/uploads/", response.Headers.Location!.ToString());
        }

        using var head = await registry.Admin.HeadAsync($"/v2/{target}/blobs/{layer}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task AnAllowedMount_TakesEffectOnlyWithTheSpecsSpelling()
    {
        var source = TestContent.Repository("team");
        var layer = (await registry.Admin.PushRandomBlobAsync(source)).Digest;
        var target = TestContent.Repository("team");
        var queries = CaseVariants.Of("mount").Select(mount => $"{mount}={layer}&from={source}")
            .Concat(CaseVariants.Of("from").Select(from => $"mount={layer}&{from}={source}"))
            .Where(query => query != $"mount={layer}&from={source}");
        using var http = registry.CreateHttp();

        foreach (var query in queries)
        {
            using var response = await PostAsync(http, "mounter", $"/v2/{target}/blobs/uploads/?{query}");
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"?{query}: {(int)response.StatusCode}");
        }
        using (var notYet = await registry.Admin.HeadAsync($"/v2/{target}/blobs/{layer}")) Assert.Equal(HttpStatusCode.NotFound, notYet.StatusCode);

        using var mounted = await PostAsync(http, "mounter", $"/v2/{target}/blobs/uploads/?mount={layer}&from={source}");
        Assert.Equal(HttpStatusCode.Created, mounted.StatusCode);
        using var linked = await registry.Admin.HeadAsync($"/v2/{target}/blobs/{layer}");
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
    }

    [Fact]
    public async Task Digest_CompletesAnUploadOnlyWithTheSpecsSpelling()
    {
        var repository = TestContent.Repository("team");
        using var http = registry.CreateHttp();
        foreach (var name in CaseVariants.Of("digest"))
        {
            var bytes = TestContent.RandomBytes(100);
            var digest = Digest.Compute(bytes);
            using var monolithic = await PostAsync(http, "writer", $"/v2/{repository}/blobs/uploads/?{name}={digest}", RegistryClient.Octets(bytes));
            Assert.Equal(name == "digest" ? HttpStatusCode.Created : HttpStatusCode.Accepted, monolithic.StatusCode);
            using (var head = await registry.Admin.HeadAsync($"/v2/{repository}/blobs/{digest}"))
            {
                Assert.Equal(name == "digest" ? HttpStatusCode.OK : HttpStatusCode.NotFound, head.StatusCode);
            }

            var location = await registry.Admin.StartUploadAsync(repository);
            using var put = new HttpRequestMessage(HttpMethod.Put, $"{location}{(location.Contains('?') ? '&' : '?')}{name}={digest}") { Content = RegistryClient.Octets(bytes) };
            put.Headers.Authorization = registry.Basic("writer");
            using var committed = await http.SendAsync(put);
            if (name == "digest") Assert.Equal(HttpStatusCode.Created, committed.StatusCode);
            else await OciAssert.ErrorAsync(committed, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        }
    }

    [Fact]
    public async Task CatalogPages_FollowOnlyTheSpecsSpellingOfNAndLast_AndNeverShowWhatTheCallerMayNotPull()
    {
        var prefix = Guid.NewGuid().ToString("N")[..6];
        string[] names = [$"team/{prefix}-a", $"secret/{prefix}-b", $"team/{prefix}-c"];
        foreach (var name in names) await registry.Admin.PushImageAsync(name, "v1");
        using var http = registry.CreateHttp();

        foreach (var n in CaseVariants.Of("n"))
        {
            var page = await ListAsync(http, $"/v2/_catalog?{n}=1", "repositories");
            if (n == "n") Assert.Single(page);
            else Assert.Contains(names[2], page);
        }
        foreach (var last in CaseVariants.Of("last"))
        {
            var page = await ListAsync(http, $"/v2/_catalog?{last}={names[0]}", "repositories");
            Assert.Equal(last != "last", page.Contains(names[0]));
            Assert.Contains(names[2], page);
            Assert.DoesNotContain(page, name => name.StartsWith("secret/", StringComparison.Ordinal));
        }
        var repeated = await ListAsync(http, $"/v2/_catalog?last={names[0]}&last=&n=1&n=5000", "repositories");
        Assert.Single(repeated);
        Assert.DoesNotContain(names[0], repeated);
    }

    [Fact]
    public async Task TagPages_FollowOnlyTheSpecsSpellingOfNAndLast()
    {
        var repository = TestContent.Repository("team");
        var image = await registry.Admin.PushImageAsync(repository, "a");
        foreach (var tag in new[] { "b", "c" })
        {
            await registry.Admin.PushManifestAsync(repository, tag, image.Manifest.Body, image.Manifest.MediaType);
        }
        using var http = registry.CreateHttp();

        foreach (var n in CaseVariants.Of("n"))
        {
            Assert.Equal(n == "n" ? ["a"] : ["a", "b", "c"], await ListAsync(http, $"/v2/{repository}/tags/list?{n}=1", "tags"));
        }
        foreach (var last in CaseVariants.Of("last"))
        {
            Assert.Equal(last == "last" ? ["b", "c"] : ["a", "b", "c"], await ListAsync(http, $"/v2/{repository}/tags/list?{last}=a", "tags"));
        }
    }

    [Fact]
    public async Task TheReferrersFilter_AppliesOnlyWithTheSpecsSpellingOfArtifactType()
    {
        const string Wanted = "application/vnd.example.wanted";
        var repository = TestContent.Repository("team");
        var image = await registry.Admin.PushImageAsync(repository, "v1");
        await registry.Admin.PushBlobAsync(repository, EmptyJson, MediaTypes.OciEmpty);
        foreach (var type in new[] { Wanted, "application/vnd.example.other" })
        {
            var body = Bytes(Image(EmptyConfig, [EmptyConfig], artifactType: type, subject: image.Manifest.Ref));
            await registry.Admin.PushManifestAsync(repository, Digest.Compute(body).ToString(), body, MediaTypes.OciManifest);
        }
        using var http = registry.CreateHttp();

        await Parallel.ForEachAsync(CaseVariants.Of("artifactType"), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (name, _) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/referrers/{image.Digest}?{name}={Uri.EscapeDataString(Wanted)}");
            request.Headers.Authorization = registry.Basic("reader");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var filtered = name == "artifactType";
            Assert.True((filtered ? 1 : 2) == index.RootElement.GetProperty("manifests").GetArrayLength(), $"?{name}=");
            Assert.Equal(filtered, response.Headers.Contains("OCI-Filters-Applied"));
        });
    }

    private async Task<HttpResponseMessage> PostAsync(HttpClient http, string user, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = registry.Basic(user);
        return await http.SendAsync(request);
    }

    /// <summary>The names under <paramref name="property"/> of a listing read as the reader.</summary>
    private async Task<List<string>> ListAsync(HttpClient http, string path, string property)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = registry.Basic("reader");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];
    }
}
