using System.CommandLine;
using System.Text;
using System.Text.Json;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Feeds;
using Nscr.Cli.Output;

namespace Nscr.Cli.Commands;

/// <summary>
/// <c>nscr logs [--level L] [--grep TEXT] [--limit N] [-f]</c>: the registry's recent log entries (<c>GET /api/logs</c>),
/// then with <c>--follow</c> new ones as they are written (<c>GET /api/logs/stream</c>) until Ctrl+C.
/// </summary>
public static class LogsCommand
{
    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var level = new Option<string?>("--level") { HelpName = "LEVEL", Description = "Minimum level: Trace, Debug, Information, Warning, Error or Critical" };
        var grep = new Option<string?>("--grep") { HelpName = "TEXT", Description = "Only entries whose message or category contains TEXT (case-insensitive)" };
        var limit = new Option<int?>("--limit") { HelpName = "N", Description = "How many recent entries to print first (default 200, at most 5000)" };
        var follow = FollowOption("Keep printing new entries as the registry writes them (Ctrl+C ends)");
        var command = new Command("logs", "Show the registry's recent log entries (held in memory by the server), or follow them") { level, grep, limit, follow };
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            using var api = connection.Connect(parse, host);
            var filters = new[] { ("level", parse.GetValue(level)), ("q", parse.GetValue(grep)) };
            var source = new FeedSource(
                FeedPrinter.WithQuery("api/logs", [.. filters, ("limit", parse.GetValue(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
                "entries",
                FeedPrinter.WithQuery("api/logs/stream", filters),
                "no log entry matches");
            return await FeedPrinter.RunAsync(host, api, source, parse.GetValue(connection.Json), parse.GetValue(follow), Format, cancellationToken);
        });
        return command;
    }

    internal static Option<bool> FollowOption(string description) => new("--follow", "-f") { Description = description };

    /// <summary>"2026-01-02 10:00:00.123Z WARN  RequestTelemetry: message", then the exception's lines indented.</summary>
    public static string Format(JsonElement entry)
    {
        var category = entry.Str("category");
        var text = new StringBuilder()
            .Append(FeedPrinter.Time(entry)).Append(' ')
            .Append(Level(entry.Str("level")).PadRight(5)).Append(' ')
            .Append(category[(category.LastIndexOf('.') + 1)..]).Append(": ")
            .Append(entry.Str("message"));
        foreach (var line in entry.Str("exception").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append('\n').Append("    ").Append(line.TrimEnd('\r'));
        }
        return text.ToString();
    }

    private static string Level(string level) => level switch
    {
        "Trace" => "TRACE",
        "Debug" => "DEBUG",
        "Information" => "INFO",
        "Warning" => "WARN",
        "Error" => "ERROR",
        "Critical" => "CRIT",
        _ => level.ToUpperInvariant(),
    };
}
