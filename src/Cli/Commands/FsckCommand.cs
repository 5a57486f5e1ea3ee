using System.CommandLine;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Nscr.Cli.Commands;

/// <summary><c>nscr fsck</c>: the server re-hashes every blob and checks every manifest's blobs are stored (<c>POST /api/fsck</c>). Exit 1 on any problem.</summary>
public static class FsckCommand
{
    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var command = new Command("fsck", "Verify stored blobs: re-hash every one, check every blob a manifest needs is there");
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            using var api = connection.Connect(parse, host);
            var answer = await Terminal.WithProgressAsync(host, "fsck: re-hashing every stored blob",
                _ => api.SendAsync(HttpMethod.Post, "api/fsck", cancellationToken, Timeout.InfiniteTimeSpan));
            var report = answer.Root;
            var ok = report.Bool("ok");
            if (parse.GetValue(connection.Json))
            {
                await CliAction.WriteJsonAsync(host, answer.Body);
                return ok ? ExitCodes.Ok : ExitCodes.Failed;
            }
            var parts = new List<IRenderable>();
            parts.Add(new Text($"{(ok ? "ok" : "PROBLEMS FOUND")}: {Formats.Number(report.Long("checkedBlobs"))} blobs ({Formats.Bytes(report.Long("checkedBytes"))}) re-hashed in {Formats.Duration(TimeSpan.FromMilliseconds(report.Long("durationMs")))}"));
            var corrupt = report.Items("corrupt").ToArray();
            if (corrupt.Length > 0)
            {
                var table = Terminal.Table("CORRUPT BLOB", "HASHES TO");
                foreach (var blob in corrupt) table.AddTextRow(blob.Str("digest"), blob.Str("actual"));
                parts.Add(table);
            }
            var missing = report.Items("missing").ToArray();
            if (missing.Length > 0)
            {
                var table = Terminal.Table("REPOSITORY", "MISSING BLOB");
                foreach (var blob in missing) table.AddTextRow(blob.Str("repository"), blob.Str("digest"));
                parts.Add(table);
            }
            var uncataloged = report.Items("uncataloged").ToArray();
            if (uncataloged.Length > 0)
            {
                // Its tags still pull and GC keeps its blobs, but _catalog and the UI do not show it.
                var table = Terminal.Table("REPOSITORY WITH STATE, NOT IN THE CATALOG");
                foreach (var repository in uncataloged) table.AddTextRow(repository.GetString() ?? "");
                parts.Add(table);
            }
            Terminal.Write(host, new Rows(parts));
            return ok ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
