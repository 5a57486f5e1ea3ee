using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Feeds;
using Nscr.Cli.Output;

namespace Nscr.Cli.Commands;

/// <summary>
/// <c>nscr throughput [--resolution second|minute|hour|day] [--since DURATION]</c>: the cluster's traffic per time bucket,
/// requests and bytes in total and per kind (<c>GET /api/throughput</c>); idle buckets are left out, as the API does.
/// </summary>
public static class ThroughputCommand
{
    private static readonly string[] Resolutions = ["second", "minute", "hour", "day"];

    private static readonly (string Name, string Header)[] Kinds =
    [
        ("blobPush", "BLOB PUSH"), ("blobPull", "BLOB PULL"), ("manifestPush", "MANIFEST PUSH"), ("manifestPull", "MANIFEST PULL"), ("other", "OTHER"),
    ];

    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var resolution = new Option<string?>("--resolution")
        {
            HelpName = "second|minute|hour|day",
            Description = "Bucket size: second (kept 10 min), minute (48 h, the default), hour (90 days) or day (3 years)",
            Validators = { ValidateResolution },
        };
        var since = new Option<TimeSpan?>("--since")
        {
            HelpName = "DURATION",
            Description = "Only buckets of the last DURATION (e.g. 10m, 6h, 7d; default: all the server keeps)",
            CustomParser = result => Durations.Parse(result),
        };
        var command = new Command("throughput", "Show the registry's traffic over time: requests and bytes per bucket, in total and per kind")
        {
            resolution, since,
        };
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            var from = parse.GetValue(since) is { } window
                ? (DateTimeOffset.UtcNow - window).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
                : null;
            using var api = connection.Connect(parse, host);
            var answer = await api.GetAsync(FeedPrinter.WithQuery("api/throughput", ("resolution", parse.GetValue(resolution)), ("from", from)), cancellationToken);
            if (parse.GetValue(connection.Json))
            {
                await CliAction.WriteJsonAsync(host, answer.Body);
                return ExitCodes.Ok;
            }
            var history = answer.Root;
            var buckets = history.Items("buckets").ToArray();
            if (buckets.Length == 0)
            {
                await host.Error.WriteLineAsync($"no traffic in this period ({history.Str("resolution")} buckets)");
                return ExitCodes.Ok;
            }
            var table = Terminal.Table(["TIME", "REQUESTS", "IN", "OUT", .. Kinds.Select(k => k.Header)]);
            foreach (var bucket in buckets)
            {
                var kinds = bucket.Get("kinds");
                table.AddTextRow([
                    BucketTime(bucket.Long("t"), history.Str("resolution")),
                    Formats.Number(bucket.Long("requests")),
                    Formats.Bytes(bucket.Long("bytesIn")),
                    Formats.Bytes(bucket.Long("bytesOut")),
                    .. Kinds.Select(k => KindCell(kinds.Get(k.Name))),
                ]);
            }
            Terminal.Write(host, table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void ValidateResolution(OptionResult result)
    {
        var text = result.GetValueOrDefault<string?>();
        if (text is not null && !Resolutions.Contains(text))
        {
            result.AddError($"--resolution must be second, minute, hour or day, not '{text}'");
        }
    }

    /// <summary>A bucket's start, UTC, to its resolution: "2026-01-02 10:05Z" for minutes, "2026-01-02" for days.</summary>
    public static string BucketTime(long unixSeconds, string resolution)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime;
        var format = resolution switch
        {
            "second" => "yyyy-MM-dd HH:mm:ss'Z'",
            "day" => "yyyy-MM-dd",
            _ => "yyyy-MM-dd HH:mm'Z'",
        };
        return time.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>"3 (1.2 MiB)": the kind's requests and its bytes in both directions; "-" when it had none.</summary>
    private static string KindCell(JsonElement counts) =>
        counts.Long("requests") == 0 ? "-" : $"{Formats.Number(counts.Long("requests"))} ({Formats.Bytes(counts.Long("bytesIn") + counts.Long("bytesOut"))})";
}
