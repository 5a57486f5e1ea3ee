using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Security;

public sealed class RateLimitTests : IAsyncLifetime
{
    private ConfiguredRegistry _registry = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _registry = await ConfiguredRegistry.StartAsync(
            new Dictionary<string, string?>
            {
                ["Nscr:RateLimit:AuthFailures"] = "3",
                ["Nscr:RateLimit:AuthWindow"] = "1h",
                ["Nscr:RateLimit:ApiRequestsPerSecond"] = "1",
                ["Nscr:RateLimit:ApiBurst"] = "5",
            },
            AuthProbe.Map);
        _http = new HttpClient { BaseAddress = _registry.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _registry.DisposeAsync();
    }

    [Fact]
    public async Task ApiCalls_BeyondTheBurst_Get429WithRetryAfter()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? rejected = null;
        for (var i = 0; i < 12 && rejected is null; i++)
        {
            var response = await _http.GetAsync("/v2/");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) rejected = response;
            else response.Dispose();
        }
        Assert.True(rejected is not null, $"no 429 in {string.Join(",", statuses)}");
        Assert.All(statuses.Take(5), s => Assert.Equal(HttpStatusCode.OK, s));
        using (rejected)
        {
            await OciAssert.ErrorAsync(rejected!, HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
            var retryAfter = rejected!.Headers.RetryAfter?.Delta;
            Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After {rejected.Headers.RetryAfter}");
        }
    }

    [Fact]
    public async Task FailedAuthentications_BeyondTheAllowance_Get429_EvenWithTheRightPassword()
    {
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await ProbeAsync("wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var blocked = await ProbeAsync("wrong");
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("TOOMANYREQUESTS", await blocked.Content.ReadAsStringAsync());
        Assert.True(blocked.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(1), $"Retry-After {blocked.Headers.RetryAfter}");

        using var right = await ProbeAsync(AuthProbe.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    private Task<HttpResponseMessage> ProbeAsync(string password) => AuthProbe.SendAsync(_http, password);
}
