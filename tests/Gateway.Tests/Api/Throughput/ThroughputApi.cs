using System.Net;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api.Throughput;

/// <summary>Reads <c>/api/throughput</c> and adds up its buckets.</summary>
public static class ThroughputApi
{
    public static readonly string[] Kinds = ["blobPush", "blobPull", "manifestPush", "manifestPull", "other"];

    public static async Task<JsonObject> HistoryAsync(this RegistryClient client, string resolution)
    {
        using var response = await client.GetAsync($"/api/throughput?resolution={resolution}");
        return await AdminApi.JsonAsync(response, HttpStatusCode.OK);
    }

    /// <summary>The sum of <paramref name="field"/> (requests, bytesIn, bytesOut) of <paramref name="kind"/> over every bucket.</summary>
    public static long Sum(this JsonObject history, string kind, string field) =>
        history["buckets"]!.AsArray().Sum(b => b!["kinds"]![kind]![field]!.GetValue<long>());

    /// <summary>Polls the history until <paramref name="condition"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task<JsonObject> HistoryUntilAsync(this RegistryClient client, string resolution, Func<JsonObject, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var history = await client.HistoryAsync(resolution);
            if (condition(history)) return history;
            Assert.True(DateTime.UtcNow < deadline, $"the {resolution} history never met the condition: {history.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}
