using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Nscr.Gateway.Tests.Auth;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Security;

/// <summary>
/// Failed authentications count per (address, user): a locked user gets 429 while another user's right password from
/// the same address passes, until the per-address ceiling. Login refuses cross-site and non-JSON posts.
/// </summary>
public sealed class AuthLockoutPerUserTests : IAsyncLifetime
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "nscr-lockout-tests", Guid.NewGuid().ToString("N"));
    private RegistryFixture registry = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(dir);
        var htpasswd = Path.Combine(dir, "htpasswd");
        File.WriteAllLines(htpasswd, new[] { "alice", "bob", "carol" }.Select(u => $"{u}:{BCrypt.Net.BCrypt.HashPassword($"pw-{u}", 4)}"));
        var settings = AuthRegistry.Settings(htpasswd);
        settings["Nscr:RateLimit:AuthFailures"] = "3";
        settings["Nscr:RateLimit:AuthFailuresPerAddress"] = "6";
        settings["Nscr:RateLimit:AuthWindow"] = "1h";
        registry = new RegistryFixture(builder => builder.Configuration.AddInMemoryCollection(settings));
        await registry.InitializeAsync();
        http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = registry.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await registry.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Locked_user_gets_429_another_user_passes_until_the_address_ceiling()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("alice", "wrong"));
        using (var locked = await SendAsync("alice", "pw-alice"))
        {
            await OciAssert.ErrorAsync(locked, HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
            Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(1), $"Retry-After {locked.Headers.RetryAfter}");
        }
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("bob", "pw-bob"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginStatusAsync("alice", "pw-alice"));
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync("bob", "pw-bob"));

        // Three more failures, spread over new user names, reach the address's ceiling of six: now everyone waits.
        foreach (var name in new[] { "x1", "x2", "x3" }) Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(name, "wrong"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync("carol", "pw-carol"));
    }

    [Fact]
    public async Task Login_refuses_form_posts_and_cross_site_requests()
    {
        using var form = await http.PostAsync("/auth/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "bob", ["password"] = "pw-bob" }));
        Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
        Assert.Contains("\"DENIED\"", await form.Content.ReadAsStringAsync());
        Assert.False(form.Headers.Contains("Set-Cookie"));

        Assert.Equal(HttpStatusCode.Forbidden, await LoginStatusAsync("bob", "pw-bob", ("Sec-Fetch-Site", "cross-site")));
        Assert.Equal(HttpStatusCode.Forbidden, await LoginStatusAsync("bob", "pw-bob", ("Origin", "https://evil.example")));
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync("bob", "pw-bob", ("Origin", registry.BaseAddress.GetLeftPart(UriPartial.Authority)), ("Sec-Fetch-Site", "same-origin")));
    }

    private async Task<HttpStatusCode> LoginStatusAsync(string user, string password, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = AuthRegistry.JsonContent(new { username = user, password }) };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> StatusAsync(string user, string password)
    {
        using var response = await SendAsync(user, password);
        return response.StatusCode;
    }

    private Task<HttpResponseMessage> SendAsync(string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http.SendAsync(request);
    }
}
