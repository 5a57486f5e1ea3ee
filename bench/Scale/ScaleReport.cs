using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Nscr.Scale;

/// <summary>One registry's result lines (the client's and the script's), looked up by phase and figure.</summary>
public sealed class RunResults
{
    private readonly List<JsonElement> lines = [];

    public RunResults(string path)
    {
        if (!File.Exists(path)) return;
        foreach (var line in File.ReadLines(path).Where(l => l.StartsWith('{')))
        {
            using var json = JsonDocument.Parse(line);
            lines.Add(json.RootElement.Clone());
        }
    }

    public IReadOnlyList<JsonElement> Lines => lines;

    public JsonElement? Find(string phase, string figure, int? slice = null) => lines
        .Where(l => Text(l, "phase") == phase && Text(l, "figure") == figure)
        .Where(l => slice is null || (l.TryGetProperty("slice", out var s) && s.GetInt32() == slice))
        .Select(l => (JsonElement?)l).FirstOrDefault();

    /// <summary>The last slice of a push phase (the one numbered highest).</summary>
    public JsonElement? LastSlice(string phase) => lines
        .Where(l => Text(l, "phase") == phase && Text(l, "figure") == "slice")
        .Select(l => (JsonElement?)l).LastOrDefault();

    public double? Value(string phase, string figure, string property) => Number(Find(phase, figure), property);

    public static double? Number(JsonElement? line, string property) =>
        line is { } l && l.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public static string? Text(JsonElement line, string property) =>
        line.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>How a row is judged: nscr ÷ Distribution at least, nscr at most, nscr at least, or not at all.</summary>
public enum TargetKind
{
    None,
    RatioAtLeast,
    AtMost,
    AtLeast,
}

/// <summary>A row of the table; <paramref name="Compared"/> is false where nscr ÷ Distribution means nothing.</summary>
public sealed record ReportRow(string Figure, double? Nscr, double? Distribution, string? DistributionText, TargetKind Kind, double Target, bool Compared = true)
{
    public double? Ratio => Compared && Nscr is { } n && Distribution is { } d && d != 0 ? n / d : null;

    public bool? Met => Kind switch
    {
        TargetKind.RatioAtLeast => Ratio is { } r ? r >= Target : null,
        TargetKind.AtMost => Nscr is { } n ? n <= Target : null,
        TargetKind.AtLeast => Nscr is { } n ? n >= Target : null,
        _ => null,
    };

    public string TargetText => Kind switch
    {
        TargetKind.RatioAtLeast => $"≥ {Format(Target)} × Dist",
        TargetKind.AtMost => $"≤ {Format(Target)}",
        TargetKind.AtLeast => $"≥ {Format(Target)}",
        _ => "",
    };

    public static string Format(double? value) => value switch
    {
        null => "—",
        _ when value == Math.Floor(value.Value) && Math.Abs(value.Value) < 1e9 => value.Value.ToString("0", CultureInfo.InvariantCulture),
        >= 100 => value.Value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.Value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.00#", CultureInfo.InvariantCulture),
    };
}

/// <summary><c>report OUTDIR</c>: the table of OUTDIR/nscr and OUTDIR/distribution, printed and written to scale.txt and scale.json.</summary>
public static class ScaleReport
{
    private const string OneRepo = "push-one-repo";
    private const string ManyRepos = "push-many-repos";

    public static void Write(string outDir)
    {
        var nscr = new RunResults(Path.Combine(outDir, "nscr", "results.jsonl"));
        var distribution = new RunResults(Path.Combine(outDir, "distribution", "results.jsonl"));
        var rows = Rows(nscr, distribution).ToArray();
        var table = Table(rows);
        Console.Out.Write(table);
        File.WriteAllText(Path.Combine(outDir, "scale.txt"), table);
        using var stream = File.Create(Path.Combine(outDir, "scale.json"));
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartArray("rows");
        foreach (var row in rows)
        {
            json.WriteStartObject();
            json.WriteString("figure", row.Figure);
            WriteNumber(json, "nscr", row.Nscr);
            WriteNumber(json, "distribution", row.Distribution);
            if (row.DistributionText is { } text) json.WriteString("distributionText", text);
            WriteNumber(json, "ratio", row.Ratio);
            json.WriteString("target", row.TargetText);
            if (row.Met is { } met) json.WriteBoolean("met", met);
            else json.WriteNull("met");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteLines(json, "nscr", nscr);
        WriteLines(json, "distribution", distribution);
        json.WriteEndObject();
    }

    private static IEnumerable<ReportRow> Rows(RunResults nscr, RunResults dist)
    {
        ReportRow Both(string figure, Func<RunResults, double?> value, TargetKind kind = TargetKind.None, double target = 0) =>
            new(figure, value(nscr), value(dist), null, kind, target);

        var slice = nscr.Find(OneRepo, "slice", 0) is { } first && first.TryGetProperty("last", out var n) ? n.GetInt32() : 0;
        var tags = nscr.Value(OneRepo, "total", "count");
        yield return Both($"one repo ({RowCount(tags)} tags): first {slice:N0} PUTs, manifests/s", r => RunResults.Number(r.Find(OneRepo, "slice", 0), "rate"));
        yield return Both($"one repo: last {slice:N0} PUTs, manifests/s", r => RunResults.Number(r.LastSlice(OneRepo), "rate"), TargetKind.RatioAtLeast, 1);
        yield return Both("one repo: last slice rate / first slice rate", r =>
            RunResults.Number(r.LastSlice(OneRepo), "rate") / RunResults.Number(r.Find(OneRepo, "slice", 0), "rate"), TargetKind.AtLeast, 0.9) with { Compared = false };
        yield return Both("one repo: last slice PUT p50, ms", r => RunResults.Number(r.LastSlice(OneRepo), "put_p50_ms"));
        yield return Both("one repo: last slice PUT p99, ms", r => RunResults.Number(r.LastSlice(OneRepo), "put_p99_ms"));
        yield return Both("one repo: registry CPU ms per image", r => PerUnit(r, OneRepo));
        var repos = nscr.Value(ManyRepos, "total", "count");
        var tagsPerRepo = nscr.Value(ManyRepos, "total", "calls") / repos;
        yield return Both($"many repos ({RowCount(repos)} × {RowCount(tagsPerRepo)} tags): repositories/s", r => r.Value(ManyRepos, "total", "rate"), TargetKind.RatioAtLeast, 2);
        yield return Both("many repos: PUT p50, ms", r => r.Value(ManyRepos, "total", "p50_ms"));
        yield return Both("many repos: PUT p99, ms", r => r.Value(ManyRepos, "total", "p99_ms"));
        yield return Both("many repos: registry CPU ms per repository", r => PerUnit(r, ManyRepos));
        foreach (var (figure, label) in new[] { ("tags_walk", "tags/list walk of the big repo"), ("catalog_walk", "_catalog walk") })
        {
            var items = nscr.Value("reads", figure, "items");
            yield return Both($"{label} ({RowCount(items)}): seconds", r => r.Value("reads", figure, "seconds"));
            yield return Both($"{label}: slowest page, ms", r => r.Value("reads", figure, "max_ms"), TargetKind.AtMost, 50);
        }
        foreach (var (figure, label) in new[]
        {
            ("api_status", "GET /api/status"), ("api_usage", "GET /api/usage"), ("api_repositories_n100", "GET /api/repositories?n=100"),
            ("api_repositories_walk", "/api/repositories walk (n=1000)"), ("api_tag_page", "web UI tag page (api/repositories/<big>/tags?n=100)"),
        })
        {
            yield return Both($"{label}: slowest, ms", r => r.Value("reads", figure, "max_ms"), TargetKind.AtMost, 50);
        }
        yield return Both("delete half the repositories: manifest DELETEs/s", r =>
            r.Value("delete-half", "total", "calls") / r.Value("delete-half", "total", "seconds"));
        foreach (var (phase, label) in new[] { ("gc-empty", "GC, nothing to collect: seconds"), ("gc-after-delete", "GC after the deletes: seconds") })
        {
            yield return Gc(nscr, dist, phase, label);
            yield return Both($"{label[..label.IndexOf(':')]}: blobs deleted", r => r.Value(phase, "gc", "deleted_blobs"));
        }
        yield return Both("peak RSS over the run, MiB", r => r.Value("run", "memory", "peak_rss_mib"), TargetKind.AtMost, 200);
        yield return Both("idle RSS after start, MiB", r => r.Value("idle", "rss", "rss_mib"), TargetKind.AtMost, 90);
    }

    /// <summary>A GC row: a Distribution GC cut off at its time limit shows as "did not finish in N s".</summary>
    private static ReportRow Gc(RunResults nscr, RunResults dist, string phase, string label)
    {
        var line = dist.Find(phase, "gc");
        string? text = null;
        if (line is { } l && l.TryGetProperty("finished", out var finished) && finished.ValueKind == JsonValueKind.False)
        {
            text = $"did not finish in {RowCount(RunResults.Number(l, "timeout_s"))} s";
        }
        return new ReportRow(label, nscr.Value(phase, "gc", "seconds"), text is null ? RunResults.Number(line, "seconds") : null, text, TargetKind.AtMost, 2);
    }

    /// <summary>The registry's CPU milliseconds of a phase per unit of its work.</summary>
    private static double? PerUnit(RunResults results, string phase) =>
        results.Value(phase, "cpu", "cpu_s") * 1000 / results.Value(phase, "total", "count");

    private static string RowCount(double? count) => count is { } c ? c.ToString("N0", CultureInfo.InvariantCulture) : "?";

    private static string Table(IReadOnlyList<ReportRow> rows)
    {
        string[] header = ["figure", "nscr", "Distribution", "ratio", "target", ""];
        var cells = rows.Select(r => new[]
        {
            r.Figure, ReportRow.Format(r.Nscr), r.DistributionText ?? ReportRow.Format(r.Distribution), ReportRow.Format(r.Ratio),
            r.TargetText, r.Met switch { true => "met", false => "MISSED", null => "" },
        }).Prepend(header).ToArray();
        var widths = Enumerable.Range(0, header.Length).Select(c => cells.Max(row => row[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in cells)
        {
            text.Append(row[0].PadRight(widths[0]));
            for (var c = 1; c < row.Length; c++) text.Append("  ").Append(c < 4 ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
            text.Append('\n');
        }
        text.Append("ratio = nscr / Distribution; the targets are nscr's (issue 13).\n");
        return text.ToString();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) json.WriteNumber(name, Math.Round(v, 4));
        else json.WriteNull(name);
    }

    private static void WriteLines(Utf8JsonWriter json, string name, RunResults results)
    {
        json.WriteStartArray(name);
        foreach (var line in results.Lines) line.WriteTo(json);
        json.WriteEndArray();
    }
}
