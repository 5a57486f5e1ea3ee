using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>The token flow, mounts, the filtered catalog and the web session, against a registry with auth on.</summary>
public sealed class AuthFlowTests(AuthRegistry registry) : IClassFixture<AuthRegistry>
{
    [Fact]
    public async Task TheTokenFlow_ChallengesThenAcceptsTheIssuedToken()
    {
        using var http = registry.CreateHttp();
        var repository = TestContent.Repository("team");
        using var challenge = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal($"Bearer realm=\"{registry.BaseAddress.ToString().TrimEnd('/')}/auth/token\",service=\"nscr\"", challenge.Headers.WwwAuthenticate.ToString());

        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, $"/auth/token?service=nscr&scope=repository:{repository}:pull,push,delete");
        tokenRequest.Headers.Authorization = registry.Basic("writer");
        using var tokenResponse = await http.SendAsync(tokenRequest);
        using var json = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
        var token = json.RootElement.GetProperty("token").GetString()!;
        Assert.Equal(token, json.RootElement.GetProperty("access_token").GetString());
        Assert.Equal(300, json.RootElement.GetProperty("expires_in").GetInt32());
        Assert.True(DateTimeOffset.TryParse(json.RootElement.GetProperty("issued_at").GetString(), out _));

        using var client = new RegistryClient(registry.BaseAddress);
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var image = await client.PushImageAsync(repository, "v1");
        using var pulled = await client.GetAsync($"/v2/{repository}/manifests/v1");
        Assert.Equal(image.Manifest.Body, await pulled.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ATokenShortOfWhatItsUserMayDo_GetsAnInsufficientScopeChallenge()
    {
        using var http = registry.CreateHttp();
        var repository = TestContent.Repository("team");
        var pullOnly = await registry.TokenAsync(http, "writer", $"repository:{repository}:pull");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pullOnly);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains($"scope=\"repository:{repository}:pull,push\"", challenge);
        Assert.Contains("error=\"insufficient_scope\"", challenge);
    }

    [Fact]
    public async Task AMountFromARepositoryTheCallerCannotPull_BecomesAnOrdinaryUpload()
    {
        var secret = TestContent.Repository("secret");
        var layer = await registry.Admin.PushRandomBlobAsync(secret);
        var target = TestContent.Repository("team");
        using var http = registry.CreateHttp();
        foreach (var query in new[] { $"mount={layer.Digest}&from={secret}", $"mount={layer.Digest}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/{target}/blobs/uploads/?{query}");
            request.Headers.Authorization = registry.Basic("mounter");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Contains("/blobs/uploads/", response.Headers.Location!.ToString());
        }
        using var head = await registry.Admin.HeadAsync($"/v2/{target}/blobs/{layer.Digest}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);

        var source = TestContent.Repository("team");
        var shared = await registry.Admin.PushRandomBlobAsync(source);
        using var allowed = new HttpRequestMessage(HttpMethod.Post, $"/v2/{target}/blobs/uploads/?mount={shared.Digest}&from={source}");
        allowed.Headers.Authorization = registry.Basic("mounter");
        using var mounted = await http.SendAsync(allowed);
        Assert.Equal(HttpStatusCode.Created, mounted.StatusCode);
    }

    [Fact]
    public async Task TheCatalog_ListsOnlyWhatTheCallerMayPull_PageByPage()
    {
        var prefix = Guid.NewGuid().ToString("N")[..6];
        foreach (var name in new[] { $"team/{prefix}-a", $"secret/{prefix}-b", $"team/{prefix}-c", $"public/{prefix}-d", $"secret/{prefix}-e" })
        {
            await registry.Admin.PushImageAsync(name, "v1");
        }
        using var http = registry.CreateHttp();
        var reader = await WalkCatalogAsync(http, registry.Basic("reader"));
        var anonymous = await WalkCatalogAsync(http, null);
        var admin = await WalkCatalogAsync(http, registry.Basic("admin"));

        Assert.Equal([$"public/{prefix}-d", $"team/{prefix}-a", $"team/{prefix}-c"], reader.Where(n => n.Contains(prefix)));
        Assert.DoesNotContain(reader, n => n.StartsWith("secret/", StringComparison.Ordinal));
        Assert.Equal([$"public/{prefix}-d"], anonymous.Where(n => n.Contains(prefix)));
        Assert.Equal(5, admin.Count(n => n.Contains(prefix)));
    }

    private static async Task<List<string>> WalkCatalogAsync(HttpClient http, AuthenticationHeaderValue? credentials)
    {
        var names = new List<string>();
        var next = "/v2/_catalog?n=1";
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = credentials;
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var page = json.RootElement.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.True(page.Count <= 1);
            names.AddRange(page);
            next = response.Headers.TryGetValues("Link", out var link) ? link.Single().Split('<', '>')[1] : null;
        }
        return names;
    }

    [Fact]
    public async Task WebLogin_SetsAStrictHttpOnlyCookie_AndLogoutNeedsTheCsrfTokenAndEndsTheSession()
    {
        using var http = registry.CreateHttp();
        using var wrong = await http.PostAsync("/auth/login", AuthRegistry.JsonContent(new { username = "admin", password = "nope" }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using var form = await http.PostAsync("/auth/login", AuthRegistry.JsonContent(new { username = "reader", password = registry.Passwords["reader"] }));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var setCookie = form.Headers.GetValues("Set-Cookie").Single().ToLowerInvariant();
        Assert.Contains("httponly", setCookie);
        Assert.Contains("samesite=strict", setCookie);
        Assert.DoesNotContain("secure", setCookie); // plain HTTP here

        var (cookie, csrf) = await registry.LoginAsync(http, "admin");
        using var session = await SendAsync(http, HttpMethod.Get, "/auth/session", cookie, null);
        using var sessionJson = JsonDocument.Parse(await session.Content.ReadAsStringAsync());
        Assert.Equal("admin", sessionJson.RootElement.GetProperty("user").GetString());
        Assert.True(sessionJson.RootElement.GetProperty("admin").GetBoolean());
        Assert.Equal(csrf, sessionJson.RootElement.GetProperty("csrfToken").GetString());

        using (var noCsrf = await SendAsync(http, HttpMethod.Post, "/auth/logout", cookie, null)) Assert.Equal(HttpStatusCode.Forbidden, noCsrf.StatusCode);
        using (var badCsrf = await SendAsync(http, HttpMethod.Post, "/api/fsck", cookie, csrf + "x")) Assert.Equal(HttpStatusCode.Forbidden, badCsrf.StatusCode);
        using (var gc = await SendAsync(http, HttpMethod.Get, "/api/gc", cookie, null)) Assert.Equal(HttpStatusCode.OK, gc.StatusCode);
        using (var logout = await SendAsync(http, HttpMethod.Post, "/auth/logout", cookie, csrf)) Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        using (var after = await SendAsync(http, HttpMethod.Get, "/auth/session", cookie, null)) Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using (var api = await SendAsync(http, HttpMethod.Get, "/api/gc", cookie, null)) Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using (var forged = await SendAsync(http, HttpMethod.Get, "/api/gc", cookie[..^3] + "abc", null)) Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string cookie, string? csrf)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        if (csrf is not null) request.Headers.Add("X-CSRF-Token", csrf);
        return http.SendAsync(request);
    }
}
