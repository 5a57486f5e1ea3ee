using System.Net;
using System.Net.Http.Headers;
using Nscr.Gateway.Auth.Credentials;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>
/// A user removed from the htpasswd file loses every credential at once (once the file is re-read), not when a token or
/// session expires: their tokens answer 401 on /v2/ and /api/, their sessions 401 on /api/. (Its own fixture: the test
/// rewrites the user file.)
/// </summary>
public sealed class RemovedUserTests(AuthRegistry registry) : IClassFixture<AuthRegistry>
{
    [Fact]
    public async Task TheTokensAndSessionsOfARemovedUser_StopWorking_OnV2AndTheAdminApi()
    {
        var repository = TestContent.Repository("team");
        await registry.Admin.PushImageAsync(repository, "v1");
        using var http = registry.CreateHttp();
        var adminToken = await registry.TokenAsync(http, "admin", $"repository:{repository}:pull,push,delete");
        var writerToken = await registry.TokenAsync(http, "writer", $"repository:{repository}:pull,push,delete");
        var (cookie, csrf) = await registry.LoginAsync(http, "admin");
        var manifest = $"/v2/{repository}/manifests/v1";
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, HttpMethod.Get, manifest, Bearer(adminToken)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, HttpMethod.Get, manifest, Bearer(writerToken)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, HttpMethod.Get, "/api/status", null, cookie));

        var kept = File.ReadAllLines(registry.HtpasswdPath).Where(line => !line.StartsWith("admin:", StringComparison.Ordinal) && !line.StartsWith("writer:", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(registry.HtpasswdPath, kept);
        var deadline = DateTime.UtcNow + HtpasswdStore.CheckInterval + TimeSpan.FromSeconds(10);
        // The file is re-read within CheckInterval of a change; the admin's own password tells when it has been.
        while (await StatusAsync(http, HttpMethod.Get, manifest, registry.Basic("admin")) == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Get, manifest, Bearer(adminToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Get, manifest, Bearer(writerToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Delete, manifest, Bearer(writerToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Get, "/api/status", Bearer(adminToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Delete, $"/api/repositories/{repository}", Bearer(adminToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Delete, $"/api/repositories/{repository}", null, cookie, csrf));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Get, "/api/status", registry.Basic("admin")));
        using var tags = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/tags/list");
        tags.Headers.Authorization = registry.Basic("reader");
        using var listed = await http.SendAsync(tags);
        Assert.Contains("\"v1\"", await listed.Content.ReadAsStringAsync());
    }

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, HttpMethod method, string path, AuthenticationHeaderValue? authorization, string? cookie = null, string? csrf = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = authorization;
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (csrf is not null) request.Headers.Add("X-CSRF-Token", csrf);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
