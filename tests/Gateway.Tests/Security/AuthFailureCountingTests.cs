using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Security;

/// <summary>
/// What does not count as a failed authentication: a 401 to a request without credentials (a web page asking for its
/// session) and a 401 <c>insufficient_scope</c> to a valid token (the client fetches a wider one).
/// </summary>
public sealed class AuthFailureCountingTests : IAsyncLifetime
{
    private ConfiguredRegistry _registry = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _registry = await ConfiguredRegistry.StartAsync(
            new Dictionary<string, string?> { ["Nscr:RateLimit:AuthFailures"] = "2", ["Nscr:RateLimit:AuthWindow"] = "1h" },
            app =>
            {
                app.MapGet("/auth/session-probe", () => Results.StatusCode(StatusCodes.Status401Unauthorized));
                app.MapGet("/auth/scope-probe", (HttpContext context) =>
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer realm=\"x\",service=\"nscr\",error=\"insufficient_scope\"";
                    return Results.StatusCode(StatusCodes.Status401Unauthorized);
                });
                AuthProbe.Map(app);
            });
        _http = new HttpClient { BaseAddress = _registry.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _registry.DisposeAsync();
    }

    [Fact]
    public async Task UncredentialedAndInsufficientScope401s_SpendNoAllowance()
    {
        for (var i = 0; i < 10; i++)
        {
            using var session = await _http.GetAsync("/auth/session-probe");
            Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
            using var scoped = new HttpRequestMessage(HttpMethod.Get, "/auth/scope-probe");
            scoped.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "a.valid.token");
            using var scope = await _http.SendAsync(scoped);
            Assert.Equal(HttpStatusCode.Unauthorized, scope.StatusCode);
        }

        // Two wrong passwords are the whole allowance: had anything above counted, the first would already be 429.
        Assert.Equal(HttpStatusCode.Unauthorized, await ProbeAsync("wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, await ProbeAsync("wrong"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ProbeAsync(AuthProbe.Password));
    }

    private Task<HttpStatusCode> ProbeAsync(string password) => AuthProbe.StatusAsync(_http, password);
}
