using System.CommandLine;
using System.Text.Json;
using Nscr.Cli.Admin;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Output;

namespace Nscr.Cli.Commands;

/// <summary>
/// <c>nscr gc [--dry-run] [--wait]</c>: starts a garbage collection cycle (<c>POST /api/gc</c>); with <c>--wait</c>, follows
/// it (<c>GET /api/gc/&lt;id&gt;</c>) with a progress line on a terminal and prints its report. A cycle already running is
/// followed instead of a new one. Exit 1 when the cycle failed.
/// </summary>
public static class GcCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what the cycle would delete, delete nothing" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the cycle to finish and print its report" };
        var command = new Command("gc", "Start a garbage collection cycle (reclaims the space of deleted images)") { dryRun, wait };
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            using var api = connection.Connect(parse, host);
            var started = await api.SendAsync(HttpMethod.Post, parse.GetValue(dryRun) ? "api/gc?dryRun=true" : "api/gc", cancellationToken);
            var json = parse.GetValue(connection.Json);
            if (!parse.GetValue(wait))
            {
                if (json) await CliAction.WriteJsonAsync(host, started.Body);
                else await host.Out.WriteLineAsync($"cycle {started.Root.Long("id")} {started.Root.Str("state")}{(started.Root.Bool("dryRun") ? " (dry run)" : "")}; follow it with `nscr gc --wait` or `nscr status`");
                return ExitCodes.Ok;
            }
            var report = await Terminal.WithProgressAsync(host, $"GC cycle {started.Root.Long("id")} running",
                update => FollowAsync(api, started, update, cancellationToken));
            if (json) await CliAction.WriteJsonAsync(host, report.Body);
            else WriteReport(host, report.Root);
            return report.Root.Str("state") == "completed" ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static async Task<ApiAnswer> FollowAsync(AdminApi api, ApiAnswer report, Action<string> update, CancellationToken cancellationToken)
    {
        var id = report.Root.Long("id");
        while (report.Root.Str("state") == "running")
        {
            var r = report.Root;
            update($"GC cycle {id}: {Formats.Number(r.Long("repositories"))} repositories, {Formats.Number(r.Long("marked"))} marked, "
                + $"{Formats.Number(r.Long("scannedBlobs"))} blobs scanned, {Formats.Number(r.Long("deletedBlobs"))} deleted "
                + $"({Formats.Bytes(r.Long("bytesReclaimed"))}), {Formats.Duration(TimeSpan.FromMilliseconds(r.Long("durationMs")))}");
            await Task.Delay(PollInterval, cancellationToken);
            report = await api.GetAsync($"api/gc/{id}", cancellationToken);
        }
        return report;
    }

    private static void WriteReport(CliHost host, JsonElement report)
    {
        var grid = Terminal.Details();
        grid.AddField("cycle", $"{report.Long("id")} {report.Str("state")}{(report.Bool("dryRun") ? " (dry run: nothing was deleted)" : "")}");
        grid.AddField("duration", Formats.Duration(TimeSpan.FromMilliseconds(report.Long("durationMs"))));
        grid.AddField("repositories", Formats.Number(report.Long("repositories")));
        grid.AddField("blobs", $"{Formats.Number(report.Long("scannedBlobs"))} scanned, {Formats.Number(report.Long("marked"))} in use, "
            + $"{Formats.Number(report.Long("deletedBlobs"))} deleted, {Formats.Number(report.Long("refusedBlobs"))} kept (touched within the grace)");
        grid.AddField("manifests", $"{Formats.Number(report.Long("deletedManifests"))} deleted, {Formats.Number(report.Long("deletedTags"))} tags deleted by retention");
        grid.AddField("uploads", $"{Formats.Number(report.Long("expiredUploads"))} expired, {Formats.Number(report.Long("deletedOrphanFiles"))} orphan files deleted");
        grid.AddField("reclaimed", Formats.Bytes(report.Long("bytesReclaimed")));
        var errors = report.Items("errors").Select(e => e.GetString() ?? "").ToArray();
        if (errors.Length > 0) grid.AddField("errors", string.Join("\n", errors));
        Terminal.Write(host, grid);
    }
}
