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
}
