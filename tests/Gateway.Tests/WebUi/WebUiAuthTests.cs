using System.Net;
using Nscr.Gateway.Tests.Auth;

namespace Nscr.Gateway.Tests.WebUi;

/// <summary>With auth on, the page and its files load for anyone (the login form is part of them); the data does not.</summary>
public sealed class WebUiAuthTests(AuthRegistry registry) : IClassFixture<AuthRegistry>
{
    [Fact]
    public async Task ThePageAndItsFilesAreAnonymousTheApiIsNot()
    {
        using var http = new HttpClient { BaseAddress = registry.BaseAddress };
        var html = await http.GetStringAsync("/");
        var app = System.Text.RegularExpressions.Regex.Match(html, """src="(/ui/[^"]+/js/app\.js)""").Groups[1].Value;

        using var module = await http.GetAsync(app);
        using var status = await http.GetAsync("/api/status");
        using var session = await http.GetAsync("/auth/session");

        Assert.Equal(HttpStatusCode.OK, module.StatusCode);
        WebUiServingTests.AssertSecurityHeaders(module);
        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
    }

    /// <summary>The UI's own requests (fetch, EventSource) get a 401 without a Basic challenge, which would open the
    /// browser's password dialog over the page (a stale session cookie); a navigation or a CLI still gets it.</summary>
    [Theory]
    [InlineData("cors", false)]
    [InlineData("same-origin", false)]
    [InlineData("navigate", true)]
    [InlineData(null, true)]
    public async Task OnlyScriptRequestsGoWithoutABasicChallenge(string? fetchMode, bool challenged)
    {
        using var http = new HttpClient { BaseAddress = registry.BaseAddress };
        foreach (var path in new[] { "/api/status", "/api/events/stream" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Cookie", "nscr_session=expired-or-forged");
            if (fetchMode is not null) request.Headers.Add("Sec-Fetch-Mode", fetchMode);

            using var response = await http.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(challenged, response.Headers.WwwAuthenticate.Count > 0);
            Nscr.Gateway.Tests.Auth.StoredData.AssertError(await response.Content.ReadAsStringAsync(), "UNAUTHORIZED");
        }
    }
}
