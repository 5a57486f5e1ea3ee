using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>
/// A registry with authentication on: an htpasswd file (bcrypt, cost 4) with reader, writer, admin, outsider and
/// mounter; rules giving reader pull and the writers group pull/push/delete on team/**, mounter pull/push on team/**;
/// admins group as admin; anonymous pull on public/**. Every log line is captured. Passwords are unique per fixture.
/// </summary>
public sealed class AuthRegistry : IAsyncLifetime
{
    public static readonly string[] Users = ["reader", "writer", "admin", "outsider", "mounter"];

    private readonly RegistryFixture registry;

    public AuthRegistry()
    {
        Directory.CreateDirectory(ConfigDir);
        foreach (var user in Users) Passwords[user] = $"pw-{user}-{Guid.NewGuid():N}";
        File.WriteAllLines(HtpasswdPath, Users.Select(u => $"{u}:{BCrypt.Net.BCrypt.HashPassword(Passwords[u], 4)}"));
        registry = new RegistryFixture(builder =>
        {
            builder.Configuration.AddInMemoryCollection(Settings(HtpasswdPath));
            builder.Logging.AddProvider(Logs);
            builder.Logging.AddFilter("Nscr", LogLevel.Trace);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Debug);
        });
    }

    public string ConfigDir { get; } = Path.Combine(Path.GetTempPath(), "nscr-auth-tests", Guid.NewGuid().ToString("N"));

    public string HtpasswdPath => Path.Combine(ConfigDir, "htpasswd");

    public Dictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal);

    public CapturedLogs Logs { get; } = new();

    public RegistryFixture Registry => registry;

    public Uri BaseAddress => registry.BaseAddress;

    public string DataDir => registry.DataDir;

    /// <summary>A registry client that sends the admin's Basic credentials on every request.</summary>
    public RegistryClient Admin { get; private set; } = null!;

    public static Dictionary<string, string?> Settings(string htpasswd) => new()
    {
        // The matrix fails authentication on purpose hundreds of times a minute from one address; the
        // failed-authentication limit has its own tests (Security/RateLimitTests).
        ["Nscr:RateLimit:AuthFailures"] = "0",
        // The matrix covers /dashboard, which embedded mode serves only when asked to.
        ["Nscr:Dashboard"] = "true",
        ["Nscr:Auth:Htpasswd"] = htpasswd,
        ["Nscr:Auth:Groups:writers:0"] = "writer",
        ["Nscr:Auth:Groups:admins:0"] = "admin",
        ["Nscr:Auth:Rules:0:Subjects:0"] = "reader",
        ["Nscr:Auth:Rules:0:Repository"] = "team/**",
        ["Nscr:Auth:Rules:0:Actions:0"] = "pull",
        ["Nscr:Auth:Rules:1:Subjects:0"] = "group:writers",
        ["Nscr:Auth:Rules:1:Repository"] = "team/**",
        ["Nscr:Auth:Rules:1:Actions:0"] = "pull",
        ["Nscr:Auth:Rules:1:Actions:1"] = "push",
        ["Nscr:Auth:Rules:1:Actions:2"] = "delete",
        ["Nscr:Auth:Rules:2:Subjects:0"] = "mounter",
        ["Nscr:Auth:Rules:2:Repository"] = "team/**",
        ["Nscr:Auth:Rules:2:Actions:0"] = "pull",
        ["Nscr:Auth:Rules:2:Actions:1"] = "push",
        ["Nscr:Auth:Admins:0"] = "group:admins",
        ["Nscr:Auth:AnonymousPull:0"] = "public/**",
    };

    public AuthenticationHeaderValue Basic(string user, string? password = null) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password ?? Passwords[user]}")));

    /// <summary>An HTTP client that keeps no cookies (each request says exactly which credentials it carries).</summary>
    public HttpClient CreateHttp() => new(new NoServerErrorsHandler(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }))
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>A token from <c>GET /auth/token</c> for <paramref name="user"/> (null: anonymous) and these scopes.</summary>
    public async Task<string> TokenAsync(HttpClient http, string? user, params string[] scopes)
    {
        var query = string.Join("&", scopes.Select(s => $"scope={Uri.EscapeDataString(s)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/auth/token?service=nscr&{query}");
        if (user is not null) request.Headers.Authorization = Basic(user);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Logs <paramref name="user"/> in on the web; returns the session cookie and its CSRF token.</summary>
    public async Task<(string Cookie, string Csrf)> LoginAsync(HttpClient http, string user)
    {
        using var response = await http.PostAsync("/auth/login", JsonContent(new { username = user, password = Passwords[user] }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single();
        using var document = JsonDocument.Parse(body);
        return (setCookie[..setCookie.IndexOf(';')], document.RootElement.GetProperty("csrfToken").GetString()!);
    }

    public static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    public async Task InitializeAsync()
    {
        await registry.InitializeAsync();
        Admin = new RegistryClient(BaseAddress);
        Admin.Http.DefaultRequestHeaders.Authorization = Basic("admin");
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        await registry.DisposeAsync();
        try
        {
            Directory.Delete(ConfigDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
