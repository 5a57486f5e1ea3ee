using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Configuration;

/// <summary>The documented NSCR_* forms of list settings take effect in a real server process, and a misspelt one stops it.</summary>
public sealed class EnvironmentVariableTests(ITestOutputHelper output)
{
    [Fact]
    public Task CommaSeparatedAdminsAndAnonymousPull_TakeEffect() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var htpasswd = Path.Combine(scope.NewTempDirectory("etc-nscr").Path, "htpasswd");
        await Tool.RunCheckedAsync("htpasswd", ["-B", "-b", "-c", htpasswd, "olga", "o-secret"], ct);
        await Tool.RunCheckedAsync("htpasswd", ["-B", "-b", htpasswd, "dev", "d-secret"], ct);
        var registry = await scope.StartRegistryAsync(environment: new Dictionary<string, string>
        {
            ["NSCR_HTPASSWD"] = htpasswd,
            ["NSCR_AUTH_ADMINS"] = "olga, nobody",
            ["NSCR_AUTH_ANONYMOUS_PULL"] = "public/**,docs",
        });
        using var http = new HttpClient { BaseAddress = registry.BaseAddress };

        scope.Step("olga is an admin, dev is not");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/api/status", "olga:o-secret", ct));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(http, "/api/status", "dev:d-secret", ct));

        scope.Step("anonymous callers may pull public/** and docs, nothing else");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(http, "/v2/public/app/tags/list", null, ct));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(http, "/v2/docs/tags/list", null, ct));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "/v2/private/app/tags/list", null, ct));
    });

    [Fact]
    public Task AMisspeltVariable_StopsStartUpNamingIt() => TestScope.RunAsync(output, async scope =>
    {
        var launch = ServerLaunch.For(0, scope.NewTempDirectory("data").Path);
        var environment = new Dictionary<string, string>(launch.Environment) { ["NSCR_AUTH_ADMIN"] = "olga" };

        var result = await Tool.RunAsync(launch.FileName, launch.Arguments, scope.CancellationToken, environment);

        Assert.NotEqual(0, result.ExitCode);
        var said = result.StandardOutput + result.StandardError;
        Assert.Contains("Unknown environment variable NSCR_AUTH_ADMIN:", said);
        Assert.Contains("did you mean NSCR_AUTH_ADMINS?", said);
    });

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path, string? credentials, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (credentials is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await http.SendAsync(request, ct);
        return response.StatusCode;
    }
}
