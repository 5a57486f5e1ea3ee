using System.Net;
using System.Text.Json;
using Nscr.Gateway.Tests.Api;

namespace Nscr.Gateway.Tests.Observability;

public sealed class HealthTests(GcRegistry registry) : IClassFixture<GcRegistry>
{
    [Fact]
    public async Task Healthz_AnswersOk()
    {
        using var http = new HttpClient { BaseAddress = registry.Client.Http.BaseAddress };
        using var response = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_FailsWhileTheBlobStoreCannotBeWritten_AndRecovers()
    {
        using var http = new HttpClient { BaseAddress = registry.Client.Http.BaseAddress };
        var ready = await ReadyAsync(http);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("ready", ready.Body.GetProperty("status").GetString());
        foreach (var check in new[] { "orleans", "database", "blobstore" })
        {
            Assert.Equal("ok", ready.Body.GetProperty("checks").GetProperty(check).GetString());
        }

        // Root ignores permission bits, so chmod proves nothing here: put a file where the uploads directory was.
        var uploads = Path.Combine(registry.DataDir, "uploads");
        var away = uploads + ".away";
        Directory.Move(uploads, away);
        await File.WriteAllTextAsync(uploads, "not a directory");
        try
        {
            var broken = await ReadyAsync(http);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, broken.Status);
            Assert.Equal("unavailable", broken.Body.GetProperty("status").GetString());
            Assert.StartsWith("failed: ", broken.Body.GetProperty("checks").GetProperty("blobstore").GetString());
            Assert.Equal("ok", broken.Body.GetProperty("checks").GetProperty("orleans").GetString());
            var error = Assert.Single(broken.Body.GetProperty("errors").EnumerateArray());
            Assert.Contains("blobstore", error.GetProperty("message").GetString());
        }
        finally
        {
            File.Delete(uploads);
            Directory.Move(away, uploads);
        }
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(http)).Status);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/readyz");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body);
    }
}
