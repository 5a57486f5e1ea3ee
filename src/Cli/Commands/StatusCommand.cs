using System.CommandLine;
using System.Text.Json;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Output;

namespace Nscr.Cli.Commands;

/// <summary>
/// <c>nscr status</c>: is the registry reachable, its version, mode, uptime, counts, storage (blobs, manifests, unreferenced),
/// uploads in flight and GC state (<c>GET /api/status</c>).
/// </summary>
public static class StatusCommand
{
    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var command = new Command("status", "Show whether the registry answers, its version, mode, storage and garbage collection state");
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            using var api = connection.Connect(parse, host);
            var answer = await api.GetAsync("api/status", cancellationToken);
            if (parse.GetValue(connection.Json))
            {
                await CliAction.WriteJsonAsync(host, answer.Body);
                return ExitCodes.Ok;
            }
            var status = answer.Root;
            var storage = status.Get("storage");
            var grid = Terminal.Details();
            grid.AddField("url", api.Url.ToString());
            grid.AddField("version", status.Str("version"));
            grid.AddField("mode", status.Str("mode"));
            grid.AddField("uptime", Formats.Duration(TimeSpan.FromSeconds(status.Long("uptimeSeconds"))));
            var counts = status.Get("counts");
            grid.AddField("repositories", counts.ValueKind == JsonValueKind.Object
                ? $"{Formats.Number(counts.Long("repositories"))} ({Formats.Number(counts.Long("tags"))} tags, {Formats.Number(counts.Long("manifests"))} manifests)"
                : Formats.Number(status.Long("repositories")));
            grid.AddField("blobs", storage.IsNull("manifestBytes")
                ? $"{Formats.Number(storage.Long("blobs"))} ({Formats.Bytes(storage.Long("bytes"))})"
                : $"{Formats.Number(storage.Long("blobs"))} ({Formats.Bytes(storage.Long("bytes"))}: {Formats.Bytes(storage.Long("blobBytes"))} blobs, "
                    + $"{Formats.Bytes(storage.Long("manifestBytes"))} manifests)");
            if (!storage.IsNull("unreferencedBytes"))
            {
                grid.AddField("unreferenced", $"{Formats.Number(storage.Long("unreferencedBlobs"))} blobs ({Formats.Bytes(storage.Long("unreferencedBytes"))}), "
                    + "reclaimed by GC once past the grace");
            }
            var uploads = status.Get("uploads");
            if (uploads.ValueKind == JsonValueKind.Object)
            {
                grid.AddField("uploads", $"{Formats.Number(uploads.Long("inFlight"))} in flight ({Formats.Bytes(uploads.Long("stagedBytes"))})");
            }
            if (!storage.IsNull("databaseBytes")) grid.AddField("database", Formats.Bytes(storage.Long("databaseBytes")));
            var gc = status.Get("gc");
            grid.AddField("gc", GcState(gc));
            if (!gc.IsNull("nextCycleAt")) grid.AddField("next gc", $"{Formats.Time(gc.Get("nextCycleAt"))} (every {Formats.Duration(TimeSpan.FromSeconds(gc.Long("intervalSeconds")))})");
            Terminal.Write(host, grid);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string GcState(JsonElement gc)
    {
        var running = gc.Get("running");
        if (running.ValueKind == JsonValueKind.Object) return $"cycle {running.Long("id")} running since {Formats.Time(running.Get("startedAt"))}";
        var last = gc.Get("last");
        if (last.ValueKind != JsonValueKind.Object) return "idle, no cycle yet";
        return $"idle; last cycle {last.Long("id")} {last.Str("state")} at {Formats.Time(last.Get("finishedAt"))}, "
            + $"reclaimed {Formats.Bytes(last.Long("bytesReclaimed"))}{(last.Bool("dryRun") ? " (dry run)" : "")}";
    }
}
