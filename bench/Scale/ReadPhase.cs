using System.Net;
using System.Text.Json;

namespace Nscr.Scale;

/// <summary>
/// <c>reads</c>: full walks of the big repository's <c>tags/list</c> and of <c>_catalog</c> (following <c>Link</c>), then
/// the admin API calls the web UI makes at this size, each repeated; a registry without <c>/api/</c> gets
/// <c>"supported": false</c> lines.
/// </summary>
public static class ReadPhase
{
    public static async Task RunAsync(Shape shape, RegistryClient client, CancellationToken cancellationToken)
    {
        var big = shape.BigRepository;
        await WalkAsync("tags_walk", $"/v2/{big}/tags/list?n={shape.Page}", "tags", client, cancellationToken);
        await WalkAsync("catalog_walk", $"/v2/_catalog?n={shape.Page}", "repositories", client, cancellationToken);
        var probe = await client.GetPageAsync("/api/status", cancellationToken);
        string[] calls = ["/api/status", "/api/usage", "/api/repositories?n=100", $"/api/repositories/{big}/tags?n=100"];
        if (probe.Status == HttpStatusCode.NotFound)
        {
            foreach (var call in calls.Append("/api/repositories?n=1000")) Results.Emit(new { phase = "reads", figure = Figure(call), call, supported = false });
            return;
        }
        foreach (var call in calls) await RepeatAsync(call, shape.Repeat, client, cancellationToken);
        await WalkAsync("api_repositories_walk", "/api/repositories?n=1000", "repositories", client, cancellationToken);
    }

    /// <summary>Follows the pages from <paramref name="path"/> to the end; page latencies, pages, items counted.</summary>
    private static async Task WalkAsync(string figure, string path, string items, RegistryClient client, CancellationToken cancellationToken)
    {
        var milliseconds = new List<double>();
        var count = 0;
        for (string? next = path; next is not null;)
        {
            var page = await client.GetPageAsync(next, cancellationToken);
            if (page.Status != HttpStatusCode.OK) throw new UnexpectedAnswerException($"GET {next}: {(int)page.Status}: {Clip(page.Body)}");
            milliseconds.Add(page.Milliseconds);
            count += CountItems(page.Body, items);
            next = page.Next;
        }
        var latencies = new Latencies(milliseconds);
        Results.Emit(new
        {
            phase = "reads",
            figure,
            call = path,
            supported = true,
            pages = latencies.Count,
            items = count,
            seconds = Latencies.Round(milliseconds.Sum() / 1000),
            p50_ms = latencies.Percentile(50),
            p99_ms = latencies.Percentile(99),
            max_ms = latencies.Max,
        });
    }

    private static async Task RepeatAsync(string call, int times, RegistryClient client, CancellationToken cancellationToken)
    {
        var milliseconds = new List<double>();
        for (var i = 0; i < times; i++)
        {
            var answer = await client.GetPageAsync(call, cancellationToken);
            if (answer.Status != HttpStatusCode.OK) throw new UnexpectedAnswerException($"GET {call}: {(int)answer.Status}: {Clip(answer.Body)}");
            milliseconds.Add(answer.Milliseconds);
        }
        var latencies = new Latencies(milliseconds);
        Results.Emit(new
        {
            phase = "reads",
            figure = Figure(call),
            call,
            supported = true,
            count = latencies.Count,
            first_ms = Latencies.Round(milliseconds[0]),
            p50_ms = latencies.Percentile(50),
            max_ms = latencies.Max,
        });
    }

    /// <summary>A stable name for an admin call: <c>api_status</c>, <c>api_repositories_n100</c>, <c>api_tag_page</c>…</summary>
    private static string Figure(string call) => call switch
    {
        _ when call.Contains("/tags", StringComparison.Ordinal) => "api_tag_page",
        _ when call.Contains("n=1000", StringComparison.Ordinal) => "api_repositories_walk",
        _ => call.TrimStart('/').Replace("?n=", "_n", StringComparison.Ordinal).Replace('/', '_'),
    };

    private static int CountItems(string body, string property)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array ? array.GetArrayLength() : 0;
    }

    private static string Clip(string text) => text[..Math.Min(text.Length, 300)];
}
