using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>With Nscr:Auth:AnonymousMetrics on, /metrics answers anyone; the admin API and the dashboard stay closed.</summary>
public sealed class AnonymousMetricsTests(OpenMetricsRegistry fixture) : IClassFixture<OpenMetricsRegistry>
{
    [Theory]
    [InlineData(null, "/metrics", HttpStatusCode.OK)]
    [InlineData("wrong", "/metrics", HttpStatusCode.OK)]
    [InlineData(null, "/healthz", HttpStatusCode.OK)]
    [InlineData(null, "/api/status", HttpStatusCode.Unauthorized)]
    [InlineData(null, "/dashboard/version", HttpStatusCode.Unauthorized)]
    [InlineData("reader", "/dashboard/version", HttpStatusCode.Forbidden)]
    [InlineData("reader", "/api/status", HttpStatusCode.Forbidden)]
    public async Task OnlyMetricsOpen(string? password, string path, HttpStatusCode expected)
    {
        using var http = new HttpClient { BaseAddress = fixture.Registry.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (password is not null)
        {
            var secret = password == "reader" ? "pw-reader" : "not-the-password";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"reader:{secret}")));
        }

        using var response = await http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: {(int)response.StatusCode} {body}");
        if (path == "/metrics") Assert.Contains("# TYPE", body);
        if ((int)expected >= 400) StoredData.AssertError(body, expected == HttpStatusCode.Unauthorized ? "UNAUTHORIZED" : "DENIED");
    }

    /// <summary>Spellings of admin paths a gate matching path prefixes could miss: none may reach the handler.</summary>
    [Theory]
    [InlineData("//api/status")]
    [InlineData("/api//status")]
    [InlineData("//dashboard/version")]
    [InlineData("///dashboard/")]
    [InlineData("/%61pi/status")]
    [InlineData("/dashboard%2Fversion")]
    [InlineData("/./api/status")]
    [InlineData("/x/../api/status")]
    public async Task OddSpellingsDoNotPassTheGate(string target)
    {
        var (status, response) = await fixture.RawGetAsync(target);

        Assert.True(status is 400 or 401 or 404, $"{target}: {response}");
    }

}

/// <summary>A registry with auth on (one user, reader) and Nscr:Auth:AnonymousMetrics set.</summary>
public sealed class OpenMetricsRegistry : IAsyncLifetime
{
    private readonly string configDir = Path.Combine(Path.GetTempPath(), "nscr-auth-tests", Guid.NewGuid().ToString("N"));
    private RegistryFixture? registry;

    public RegistryFixture Registry => registry!;

    /// <summary>Sends <paramref name="target"/> as the raw request target (HttpClient would read "//x" as a host).</summary>
    public async Task<(int Status, string Response)> RawGetAsync(string target)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(Registry.BaseAddress.Host, Registry.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        return (int.Parse(response.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), response);
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(configDir);
        var htpasswd = Path.Combine(configDir, "htpasswd");
        await File.WriteAllTextAsync(htpasswd, $"reader:{BCrypt.Net.BCrypt.HashPassword("pw-reader", 4)}\n");
        var settings = AuthRegistry.Settings(htpasswd);
        settings["Nscr:Auth:AnonymousMetrics"] = "true";
        registry = new RegistryFixture(builder => builder.Configuration.AddInMemoryCollection(settings));
        await registry.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (registry is not null) await registry.DisposeAsync();
        try
        {
            Directory.Delete(configDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
