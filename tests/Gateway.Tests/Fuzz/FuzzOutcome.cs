using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Nscr.Gateway.Tests.Fuzz;

/// <summary>One fuzz request's category and how the server answered it.</summary>
public sealed record FuzzResult(string Category, int Status, string Body, bool BodylessAllowed, string Description)
{
    /// <summary>"2xx", "4xx CODE" (OCI error code), "4xx kestrel" (refused by the HTTP parser with no body), "aborted"
    /// (we cut the connection: no answer expected), or a failure ("5xx", "4xx without OCI body", "no answer").</summary>
    public string Outcome
    {
        get
        {
            if (Status == -1) return "aborted";
            if (Status == 0) return "no answer";
            if (Status is >= 200 and < 400) return $"{Status / 100}xx";
            if (Status >= 500) return "5xx";
            // Kestrel's own refusals (malformed request line, headers or body framing) and HEAD answers carry no body.
            if (Body.Length == 0) return BodylessAllowed ? $"{Status} (no body: HTTP parser or HEAD)" : "4xx without OCI body";
            return OciCode(Body) is { } code ? $"{Status} {code}" : "4xx without OCI body";
        }
    }

    public bool IsFailure => Outcome is "5xx" or "no answer" or "4xx without OCI body";

    private static string? OciCode(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var error = document.RootElement.GetProperty("errors")[0];
            _ = error.GetProperty("message").GetString();
            return error.TryGetProperty("detail", out _) ? error.GetProperty("code").GetString() : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>Counts per category and outcome, printed as a table for the test output.</summary>
public sealed class FuzzTally
{
    private readonly ConcurrentDictionary<(string Category, string Outcome), int> _counts = new();
    private readonly ConcurrentQueue<FuzzResult> _failures = new();

    public int Total => _counts.Values.Sum();

    public IReadOnlyCollection<FuzzResult> Failures => _failures;

    public void Add(FuzzResult result)
    {
        _counts.AddOrUpdate((result.Category, result.Outcome), 1, (_, n) => n + 1);
        if (result.IsFailure) _failures.Enqueue(result);
    }

    public string Report()
    {
        var text = new StringBuilder();
        foreach (var category in _counts.Keys.Select(k => k.Category).Distinct().Order())
        {
            var rows = _counts.Where(c => c.Key.Category == category).OrderByDescending(c => c.Value).ToList();
            text.AppendLine($"{category,-22} {rows.Sum(r => r.Value),6}  " + string.Join(", ", rows.Select(r => $"{r.Key.Outcome}: {r.Value}")));
        }
        text.AppendLine($"{"total",-22} {Total,6}");
        return text.ToString();
    }
}
