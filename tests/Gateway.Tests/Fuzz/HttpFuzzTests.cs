using System.Diagnostics;
using System.Net;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Gateway.Tests.Security;
using Xunit.Abstractions;

namespace Nscr.Gateway.Tests.Fuzz;

/// <summary>
/// Thousands of malformed requests against a real registry holding a few images: every answer must be a 4xx with
/// the OCI error body (or a bodiless refusal by Kestrel's HTTP parser, or a 2xx for the rare request that happens
/// to be valid, such as starting an upload), never a 5xx; the server must stay up, and what it stores (blob files
/// and their hashes, every repository's tags) must be identical afterwards. Seeded: NSCR_FUZZ_SEED replays a run.
/// </summary>
public sealed class HttpFuzzTests(ITestOutputHelper output)
{
    private const int Requests = 4000;
    private const int Workers = 4;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(50);

    [Fact]
    public async Task MalformedRequests_Get4xx_AndChangeNothingStored()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("NSCR_FUZZ_SEED"), out var s) ? s : 20250501;
        // A short grace so a request whose body never comes does not hold a worker for long.
        await using var registry = await ConfiguredRegistry.StartAsync(new Dictionary<string, string?> { ["Nscr:Limits:RequestBodyGrace"] = "2s" });
        using var client = new RegistryClient(registry.BaseAddress);
        var repositories = new[] { "fuzz/seed-a", "fuzz/seed-b", "fuzz/nested/seed-c" };
        var blobs = new List<Nscr.Oci.Digest>();
        foreach (var repository in repositories)
        {
            var image = await client.PushImageAsync(repository, "seed-v1", layers: 2);
            await client.PushManifestAsync(repository, "seed-v2", image.Manifest.Body, image.Manifest.MediaType);
            blobs.Add(image.Config.Digest);
            blobs.AddRange(image.Layers.Select(l => l.Digest));
        }
        var before = await RegistrySnapshot.TakeAsync(registry.DataDir, client);

        var tally = new FuzzTally();
        var stopwatch = Stopwatch.StartNew();
        var remaining = Requests;
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = Workers * 2 })
        {
            BaseAddress = registry.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var target = new FuzzTarget(registry.BaseAddress, http, repositories, ["seed-v1", "seed-v2"], blobs);
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var requests = new FuzzRequests(target, new Random(seed * 31 + worker));
            while (Interlocked.Decrement(ref remaining) >= 0 && stopwatch.Elapsed < Budget)
            {
                tally.Add(await requests.NextAsync(CancellationToken.None));
            }
        })));
        var elapsed = stopwatch.Elapsed;

        output.WriteLine($"seed {seed}: {tally.Total} requests in {elapsed.TotalSeconds:F1} s ({Workers} workers)");
        output.WriteLine(tally.Report());
        foreach (var failure in tally.Failures.Take(20))
        {
            output.WriteLine($"FAILURE {failure.Outcome}: {failure.Description} → {failure.Status} {failure.Body[..Math.Min(300, failure.Body.Length)]}");
        }

        Assert.Empty(tally.Failures);
        Assert.True(tally.Total >= 1000, $"only {tally.Total} requests in {elapsed}: the machine is too slow for a meaningful run");
        using (var alive = await client.GetAsync("/v2/"))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }
        var after = await RegistrySnapshot.TakeAsync(registry.DataDir, client);
        Assert.True(before.SequenceEqual(after), "stored data changed:\n" + RegistrySnapshot.Difference(before, after));
        foreach (var repository in repositories)
        {
            using var manifest = await client.GetAsync($"/v2/{repository}/manifests/seed-v1");
            Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        }
    }
}
