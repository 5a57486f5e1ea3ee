using System.Net.Http.Headers;
using System.Text;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>Logins, wrong passwords, tokens and cookies go through the registry (logging at Trace); no log line holds any of them.</summary>
public sealed class SecretsInLogsTests(AuthRegistry registry) : IClassFixture<AuthRegistry>
{
    [Fact]
    public async Task NoPasswordTokenHashOrCookie_EverReachesTheLogs()
    {
        using var http = registry.CreateHttp();
        var repository = TestContent.Repository("team");
        var secrets = new List<string>(registry.Passwords.Values);
        var wrongPassword = $"wrong-{Guid.NewGuid():N}";
        secrets.Add(wrongPassword);

        var token = await registry.TokenAsync(http, "writer", $"repository:{repository}:pull,push");
        secrets.Add(token);
        using var client = new RegistryClient(registry.BaseAddress);
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await client.PushImageAsync(repository, "v1");
        using (var tampered = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/tags/list"))
        {
            var bad = MatrixIdentities.Tamper(token, [repository]);
            secrets.Add(bad);
            tampered.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bad);
            (await http.SendAsync(tampered)).Dispose();
        }
        foreach (var path in new[] { "/v2/", "/auth/token?scope=repository:team/x:pull", "/api/gc" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = registry.Basic("writer", wrongPassword);
            (await http.SendAsync(request)).Dispose();
        }
        (await http.PostAsync("/auth/login", AuthRegistry.JsonContent(new { username = "admin", password = wrongPassword }))).Dispose();
        var (cookie, csrf) = await registry.LoginAsync(http, "admin");
        secrets.Add(cookie[(cookie.IndexOf('=') + 1)..]);
        secrets.Add(csrf);
        secrets.AddRange(registry.Passwords.Keys.Select(u => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{u}:{registry.Passwords[u]}"))));
        secrets.AddRange(File.ReadAllLines(registry.HtpasswdPath).Select(line => line[(line.IndexOf(':') + 1)..]));

        var logs = registry.Logs.Lines.ToList();
        Assert.NotEmpty(logs);
        Assert.Contains(logs, line => line.Contains("[2005]")); // the rejected credentials were logged, without them
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs, line => line.Contains(secret, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(logs, line => line.Contains("$2a$") || line.Contains("$2b$") || line.Contains("$2y$"));

        // The live log feed (/api/logs, the web UI's Logs view) holds the same entries: none of the secrets either.
        using var feed = await registry.Admin.GetAsync("/api/logs?limit=5000");
        var entries = System.Text.Json.JsonDocument.Parse(await feed.Content.ReadAsStringAsync()).RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => $"{e.GetProperty("eventId").GetInt32()} {e.GetProperty("message").GetString()} {e.GetProperty("exception")}")
            .ToList();
        Assert.Contains(entries, entry => entry.StartsWith("2005 ", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(entries, entry => entry.Contains(secret, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(entries, entry => entry.Contains("$2a$") || entry.Contains("$2b$") || entry.Contains("$2y$"));
    }
}
