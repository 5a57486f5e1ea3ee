using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Feeds;
using Nscr.Cli.Output;

namespace Nscr.Cli.Commands;

/// <summary>
/// <c>nscr events [--limit N] [-f]</c>: the registry's recent events, pushes, deletions and GC cycles (<c>GET /api/events</c>),
/// then with <c>--follow</c> new ones as they happen (<c>GET /api/events/stream</c>) until Ctrl+C.
/// </summary>
public static class EventsCommand
{
    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var limit = new Option<int?>("--limit") { HelpName = "N", Description = "How many recent events to print first (default 200, at most 5000)" };
        var follow = LogsCommand.FollowOption("Keep printing new events as they happen (Ctrl+C ends)");
        var command = new Command("events", "Show the registry's recent events (pushes, deletions, GC cycles), or follow them") { limit, follow };
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            using var api = connection.Connect(parse, host);
            var source = new FeedSource(
                FeedPrinter.WithQuery("api/events", ("limit", parse.GetValue(limit)?.ToString(CultureInfo.InvariantCulture))),
                "events",
                "api/events/stream",
                "no event yet");
            return await FeedPrinter.RunAsync(host, api, source, parse.GetValue(connection.Json), parse.GetValue(follow), Format, cancellationToken);
        });
        return command;
    }

    /// <summary>"2026-01-02 10:00:00.123Z push    team/app:1.0 sha256:3b1e0123abcd oci manifest 527 B".</summary>
    public static string Format(JsonElement e)
    {
        var type = e.Str("type");
        return $"{FeedPrinter.Time(e)} {type,-7} " + type switch
        {
            "push" => $"{Image(e.Str("repository"), e.Str("reference"))} {Formats.ShortDigest(e.Str("digest"))} "
                + $"{Formats.MediaType(e.Str("mediaType"))} {Formats.Bytes(e.Long("sizeBytes"))}",
            "delete" => $"{e.Str("target")} {Image(e.Str("repository"), e.Str("target") == "repository" ? "" : e.Str("reference"))}",
            "gc" => Gc(e),
            _ => e.GetRawText(),
        };
    }

    private static string Image(string repository, string reference) =>
        reference.Length == 0 ? repository : reference.Contains(':') ? $"{repository}@{reference}" : $"{repository}:{reference}";

    private static string Gc(JsonElement e)
    {
        var cycle = $"cycle {e.Long("gcId")}{(e.Bool("dryRun") ? " (dry run)" : "")}";
        if (e.Str("state") == "running") return $"{cycle} started ({e.Str("trigger")})";
        var outcome = $"{cycle} {e.Str("outcome")} in {Formats.Duration(TimeSpan.FromMilliseconds(e.Long("durationMs")))}: "
            + $"deleted {Formats.Number(e.Long("deletedTags"))} tags, {Formats.Number(e.Long("deletedManifests"))} manifests, "
            + $"{Formats.Number(e.Long("deletedBlobs"))} blobs, reclaimed {Formats.Bytes(e.Long("bytesReclaimed"))}";
        var errors = e.Items("errors").Select(x => x.GetString()).ToArray();
        return errors.Length == 0 ? outcome : $"{outcome}; {errors.Length} errors, first: {errors[0]}";
    }
}
