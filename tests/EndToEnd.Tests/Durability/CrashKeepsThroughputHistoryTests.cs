using System.Text.Json;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>
/// The throughput history is written every few seconds: once the API says it was saved after the traffic was
/// recorded (<c>savedAt</c>), a SIGKILL does not lose that traffic.
/// </summary>
public sealed class CrashKeepsThroughputHistoryTests(ITestOutputHelper output)
{
    private const int LayerBytes = 300 * 1024;

    [Fact]
    public Task SavedHistorySurvivesAKill() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        using var client = new RegistryClient(registry.BaseAddress);
        using var http = new HttpClient { BaseAddress = registry.BaseAddress };
        await client.UploadBlobAsync("e2e/crash-stats", Images.RandomBytes(LayerBytes), ct);

        scope.Step("waiting until the push is in the minute history, then until a write after that");
        var recorded = await Poll.UntilAsync(() => ReadAsync(http, ct), h => h.BlobPushBytes >= LayerBytes, ct);
        await Poll.UntilAsync(() => ReadAsync(http, ct), h => h.SavedAt > recorded.Now, ct);

        scope.Step("SIGKILL, then start again on the same data dir");
        registry.Kill();
        await registry.RestartAsync(ct);
        var after = await ReadAsync(http, ct);
        Assert.True(after.BlobPushBytes >= LayerBytes, $"after the kill the minute history holds {after.BlobPushBytes} bytes of blob pushes, not {LayerBytes}");
    });

    private sealed record History(long Now, long? SavedAt, long BlobPushBytes);

    private static async Task<History> ReadAsync(HttpClient http, CancellationToken ct)
    {
        using var response = await http.GetAsync("api/throughput?resolution=minute", ct);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var root = json.RootElement;
        var pushed = root.GetProperty("buckets").EnumerateArray()
            .Sum(b => b.GetProperty("kinds").GetProperty("blobPush").GetProperty("bytesIn").GetInt64());
        long? savedAt = root.TryGetProperty("savedAt", out var saved) ? saved.GetInt64() : null;
        return new History(root.GetProperty("now").GetInt64(), savedAt, pushed);
    }
}
