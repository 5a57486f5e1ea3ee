using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Nscr.Cli.Admin;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Output;

namespace Nscr.Cli.Commands;

/// <summary>
/// <c>nscr retention</c> shows the retention policy GC cycles apply (<c>GET /api/retention</c>); <c>nscr retention set
/// FILE [--dry-run]</c> replaces it with the rules of a JSON file (<c>{"rules": [...]}</c>, <c>-</c> for stdin), or with
/// <c>--dry-run</c> shows what they would delete without saving (<c>PUT /api/retention</c>); <c>nscr retention reset</c>
/// goes back to the configured rules (<c>DELETE /api/retention</c>).
/// </summary>
public static class RetentionCommand
{
    /// <summary>A dry run is a whole GC cycle (after any cycle already running): allow it more than a plain request.</summary>
    private static readonly TimeSpan DryRunTimeout = TimeSpan.FromMinutes(30);

    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var command = new Command("retention", "Show the retention rules GC cycles apply (set them with `retention set`, undo with `retention reset`)")
        {
            CreateSet(host, connection),
            CreateReset(host, connection),
        };
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            using var api = connection.Connect(parse, host);
            var answer = await api.GetAsync("api/retention", cancellationToken);
            await WritePolicyAsync(host, parse.GetValue(connection.Json), answer);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateSet(CliHost host, ConnectionOptions connection)
    {
        var file = new Argument<string>("file") { Description = "JSON file with {\"rules\": [...]} (- reads stdin)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Run a dry-run GC cycle with these rules and show what it would delete; save nothing" };
        var command = new Command("set", "Replace the retention rules on the server (every later GC cycle applies them)") { file, dryRun };
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            var body = await ReadRulesAsync(host, parse.GetValue(file)!, cancellationToken);
            var json = parse.GetValue(connection.Json);
            using var api = connection.Connect(parse, host);
            if (!parse.GetValue(dryRun))
            {
                var saved = await api.SendAsync(HttpMethod.Put, "api/retention", body, cancellationToken);
                await WritePolicyAsync(host, json, saved);
                return ExitCodes.Ok;
            }
            var preview = await Terminal.WithProgressAsync(host, "dry run of the proposed rules",
                _ => api.SendAsync(HttpMethod.Put, "api/retention?dryRun=true", body, cancellationToken, DryRunTimeout));
            if (json) await CliAction.WriteJsonAsync(host, preview.Body);
            else WritePreview(host, preview.Root);
            return preview.Root.Get("report").Str("state") == "completed" ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static Command CreateReset(CliHost host, ConnectionOptions connection)
    {
        var command = new Command("reset", "Forget the rules set with `retention set`: back to the configured ones");
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            using var api = connection.Connect(parse, host);
            var answer = await api.SendAsync(HttpMethod.Delete, "api/retention", cancellationToken);
            await WritePolicyAsync(host, parse.GetValue(connection.Json), answer);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string> ReadRulesAsync(CliHost host, string file, CancellationToken cancellationToken)
    {
        if (file == "-") return await host.In.ReadToEndAsync(cancellationToken);
        try
        {
            return await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read {file}: {e.Message}");
        }
    }

    private static async Task WritePolicyAsync(CliHost host, bool json, ApiAnswer answer)
    {
        if (json)
        {
            await CliAction.WriteJsonAsync(host, answer.Body);
            return;
        }
        var policy = answer.Root;
        var source = policy.Str("source") == "api"
            ? $"set through the API at {Formats.Time(policy.Get("updatedAt"))} (replaces the configured rules; `nscr retention reset` to undo)"
            : "from the configuration (Nscr:Retention)";
        await host.Out.WriteLineAsync($"retention rules: {source}");
        var rules = policy.Items("rules").ToArray();
        if (rules.Length == 0)
        {
            await host.Out.WriteLineAsync("no rules: cycles delete no tag (untagged manifests follow Gc:DeleteUntagged)");
            return;
        }
        var table = Terminal.Table("REPOSITORY", "KEEP NEWEST", "DELETE OLDER THAN", "KEEP TAGS", "DELETE UNTAGGED");
        foreach (var rule in rules)
        {
            table.AddTextRow(
                rule.Str("repository"),
                rule.IsNull("keepNewest") ? "-" : Formats.Number(rule.Long("keepNewest")),
                rule.IsNull("deleteOlderThan") ? "-" : Formats.Duration(TimeSpan.Parse(rule.Str("deleteOlderThan"), CultureInfo.InvariantCulture)),
                rule.Items("keepTags").Any() ? string.Join(", ", rule.Items("keepTags").Select(t => t.GetString())) : "-",
                rule.IsNull("deleteUntagged") ? "default" : rule.Bool("deleteUntagged") ? "yes" : "no");
        }
        Terminal.Write(host, table);
    }

    private static void WritePreview(CliHost host, JsonElement preview)
    {
        var report = preview.Get("report");
        var items = report.Get("items");
        var grid = Terminal.Details();
        grid.AddField("dry run", $"cycle {report.Long("id")} {report.Str("state")} with {preview.Items("rules").Count()} proposed rules; nothing was saved or deleted");
        grid.AddField("would delete", $"{Formats.Number(report.Long("deletedTags"))} tags, {Formats.Number(report.Long("deletedManifests"))} manifests, "
            + $"{Formats.Number(report.Long("deletedBlobs"))} blobs");
        grid.AddField("would reclaim", Formats.Bytes(report.Long("bytesReclaimed")));
        if (items.ValueKind == JsonValueKind.Object)
        {
            var tags = items.Items("tags").Select(t => t.GetString() ?? "").ToArray();
            if (tags.Length > 0) grid.AddField("tags", string.Join("\n", tags));
            var manifests = items.Items("manifests").Select(m => m.GetString() ?? "").ToArray();
            if (manifests.Length > 0) grid.AddField("manifests", string.Join("\n", manifests));
        }
        var errors = report.Items("errors").Select(e => e.GetString() ?? "").ToArray();
        if (errors.Length > 0) grid.AddField("errors", string.Join("\n", errors));
        Terminal.Write(host, grid);
    }
}
