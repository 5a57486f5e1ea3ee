using System.Net.Http.Headers;
using System.Text.Json;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Observability;

public sealed class LogFormatTests(ITestOutputHelper output)
{
    [Fact]
    public Task JsonLogs_AreOneObjectPerLine_WithOneLinePerRequest_AndNoSecrets() => TestScope.RunAsync(output, async scope =>
    {
        var registry = await scope.StartRegistryAsync(environment: new Dictionary<string, string>
        {
            ["NSCR_LOG_FORMAT"] = "json",
            ["NSCR_LOG_LEVEL"] = "Information",
        });
        using var http = new HttpClient { BaseAddress = registry.BaseAddress };
        using (var request = new HttpRequestMessage(HttpMethod.Get, "v2/team/app/manifests/latest?token=query-secret-1234"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "header-secret-5678");
            using var response = await http.SendAsync(request, scope.CancellationToken);
            Assert.Equal(404, (int)response.StatusCode);
        }

        scope.Step("wait for the request's log line");
        JsonElement? line = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (line is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no request log line:\n{registry.Log}");
            line = JsonLines(registry.Log).Cast<JsonElement?>().FirstOrDefault(l => l!.Value.GetProperty("EventId").GetInt32() == 5000
                && l.Value.GetProperty("State").GetProperty("Route").GetString() == "manifest");
            if (line is null) await Task.Delay(100, scope.CancellationToken);
        }
        var state = line.Value.GetProperty("State");
        Assert.Equal("GET", state.GetProperty("Method").GetString());
        Assert.Equal("team/app", state.GetProperty("Repository").GetString());
        Assert.Equal("404", state.GetProperty("Status").ToString());
        Assert.Equal("Information", line.Value.GetProperty("LogLevel").GetString());

        // Every line the server wrote is JSON (the test's own notes excepted), and no secret reached any of them.
        var serverLines = ServerLines(registry.Log).ToList();
        Assert.NotEmpty(serverLines);
        Assert.All(serverLines, l => JsonDocument.Parse(l).Dispose());
        Assert.DoesNotContain("query-secret-1234", registry.Log);
        Assert.DoesNotContain("header-secret-5678", registry.Log);
    });

    /// <summary>Lines of the registry's stdout/stderr ("HH:mm:ss.fff [runN] text"), without the prefix.</summary>
    private static IEnumerable<string> ServerLines(string log) =>
        log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', 3))
            .Where(p => p.Length == 3 && p[1].StartsWith("[run", StringComparison.Ordinal))
            .Select(p => p[2]);

    private static IEnumerable<JsonElement> JsonLines(string log) =>
        ServerLines(log).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone());
}
