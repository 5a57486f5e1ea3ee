using System.Net;
using System.Text.Json;
using Nscr.Silo.Tests.Postgres;

namespace Nscr.Gateway.Tests.Cluster;

/// <summary>/readyz of a cluster node checks the cluster's PostgreSQL database (not an embedded SQLite file).</summary>
public sealed class ClusterReadinessTests
{
    [Fact]
    public async Task Readyz_of_a_node_names_the_database_while_PostgreSQL_is_stopped_and_recovers_when_it_is_back()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "nscr-cluster-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var server = await PostgresServer.StartAsync();
        var (app, client) = await ClusterRegistry.StartAsync(await server.CreateDatabaseAsync("readiness"), dataDir, "node");
        // Not the client's own HttpClient: it turns every 5xx into an exception.
        using var http = new HttpClient { BaseAddress = client.Http.BaseAddress };
        var stopped = false;
        try
        {
            var ready = await ReadyAsync(http);
            Assert.Equal(HttpStatusCode.OK, ready.Status);
            foreach (var check in new[] { "orleans", "database", "blobstore" })
            {
                Assert.Equal("ok", ready.Body.GetProperty("checks").GetProperty(check).GetString());
            }
            // A cluster node keeps no SQLite database: the old check would have created one.
            Assert.False(File.Exists(Path.Combine(dataDir, "nscr.db")), "a cluster node created an SQLite database");

            await server.StopAsync();
            stopped = true;
            var broken = await PollAsync(http, HttpStatusCode.ServiceUnavailable);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, broken.Status);
            Assert.StartsWith("failed: ", broken.Body.GetProperty("checks").GetProperty("database").GetString());
            Assert.Equal("ok", broken.Body.GetProperty("checks").GetProperty("blobstore").GetString());
            Assert.Contains(broken.Body.GetProperty("errors").EnumerateArray(),
                e => e.GetProperty("message").GetString() == "readiness check 'database' failed");

            await server.StartAgainAsync();
            stopped = false;
            Assert.Equal(HttpStatusCode.OK, (await PollAsync(http, HttpStatusCode.OK)).Status);
        }
        finally
        {
            client.Dispose();
            if (stopped) await server.StartAgainAsync();
            // The database is back (or never left): the silo leaves the cluster cleanly, then the server stops.
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                await app.StopAsync(timeout.Token);
            }
            await app.DisposeAsync();
            await server.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>/readyz until it answers <paramref name="expected"/> (pooled connections notice a stopped or restarted
    /// server on their next use, which takes a moment), or the last answer after 30 s.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)> PollAsync(HttpClient http, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var answer = await ReadyAsync(http);
            if (answer.Status == expected || DateTime.UtcNow > deadline) return answer;
            await Task.Delay(200);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/readyz");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body);
    }
}
