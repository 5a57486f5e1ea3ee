using System.Net;
using System.Net.Http.Headers;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>A registry token grants what its access claim lists: issued to an admin, it still opens no admin endpoint.</summary>
public sealed class AdminTokenTests(AuthRegistry registry) : IClassFixture<AuthRegistry>
{
    public static TheoryData<string> Scopes() => new()
    {
        "repository:demo/d:pull",
        "",
        "registry:catalog:*",
        "repository:{repository}:pull,push,delete",
    };

    [Theory]
    [MemberData(nameof(Scopes))]
    public async Task AnAdminsToken_OpensNoAdminEndpoint_WhateverItsScope(string scope)
    {
        var repository = TestContent.Repository("team");
        await registry.Admin.PushImageAsync(repository, "v1");
        using var http = registry.CreateHttp();
        var token = scope.Length == 0
            ? await registry.TokenAsync(http, "admin")
            : await registry.TokenAsync(http, "admin", scope.Replace("{repository}", repository));

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Delete, $"/api/repositories/{repository}"),
            (HttpMethod.Delete, $"/api/repositories/{repository}/tags/v1"),
            (HttpMethod.Get, "/api/status"),
            (HttpMethod.Post, "/api/gc?dryRun=true"),
            (HttpMethod.Get, "/metrics"),
            (HttpMethod.Get, "/dashboard/version"),
        })
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} with scope '{scope}': {(int)response.StatusCode} {body}");
            StoredData.AssertError(body, "DENIED");
        }

        using var tags = await registry.Admin.GetAsync($"/v2/{repository}/tags/list");
        Assert.Contains("\"v1\"", await tags.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnAdminsToken_StillGrantsTheRepositoryAccessItLists_AndBasicStillOpensTheAdminApi()
    {
        var repository = TestContent.Repository("team");
        await registry.Admin.PushImageAsync(repository, "v1");
        using var http = registry.CreateHttp();
        var token = await registry.TokenAsync(http, "admin", $"repository:{repository}:pull");

        using var pull = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/v1");
        pull.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var pulled = await http.SendAsync(pull)) Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/repositories/{repository}");
        delete.Headers.Authorization = registry.Basic("admin");
        using var deleted = await http.SendAsync(delete);
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
    }
}
