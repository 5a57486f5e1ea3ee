using System.Net;
using System.Text.Json;
using Nscr.EndToEnd.Tests.Infrastructure;

namespace Nscr.EndToEnd.Tests.Cluster;

/// <summary>One GC cycle as <c>GET /api/gc</c> reports it.</summary>
public sealed record GcCycleSummary(long Id, string Trigger, DateTimeOffset StartedAt);

public static class GcHistory
{
    /// <summary>The running cycle (if any) and the history.</summary>
    public static async Task<IReadOnlyList<GcCycleSummary>> ReadAsync(RegistryClient client, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/gc"), cancellationToken);
        await RegistryClient.ExpectAsync(response, HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var cycles = json.RootElement.GetProperty("history").EnumerateArray().ToList();
        if (json.RootElement.GetProperty("running") is { ValueKind: JsonValueKind.Object } running)
        {
            cycles.Add(running);
        }
        return cycles.Select(c => new GcCycleSummary(
                c.GetProperty("id").GetInt64(), c.GetProperty("trigger").GetString() ?? "", c.GetProperty("startedAt").GetDateTimeOffset()))
            .ToList();
    }
}
