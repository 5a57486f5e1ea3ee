using System.CommandLine;
using System.Text.Json;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Output;
using Spectre.Console;

namespace Nscr.Cli.Commands;

/// <summary><c>nscr du</c>: storage per repository, unique versus shared bytes, and totals (<c>GET /api/usage</c>, every page).</summary>
public static class DuCommand
{
    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var command = new Command("du", "Show storage per repository: unique bytes (freed by deleting it) and bytes shared with others");
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            using var api = connection.Connect(parse, host);
            var document = await Pages.ReadAllAsync(api, "api/usage", "repositories", 0, cancellationToken);
            if (parse.GetValue(connection.Json))
            {
                await CliAction.WriteJsonAsync(host, document.ToJsonString());
                return ExitCodes.Ok;
            }
            using var answer = JsonDocument.Parse(document.ToJsonString());
            var root = answer.RootElement;
            var table = Terminal.Table("REPOSITORY", "SIZE", "UNIQUE", "SHARED", "BLOBS");
            foreach (var repository in root.Items("repositories").OrderByDescending(r => r.Long("sizeBytes")))
            {
                table.AddTextRow(repository.Str("name"), Formats.Bytes(repository.Long("sizeBytes")), Formats.Bytes(repository.Long("uniqueBytes")),
                    Formats.Bytes(repository.Long("sharedBytes")), Formats.Number(repository.Long("blobs")));
            }
            var totals = root.Get("totals");
            var grid = Terminal.Details();
            grid.AddField("stored", $"{Formats.Bytes(totals.Long("storedBytes"))} in {Formats.Number(totals.Long("storedBlobs"))} blobs");
            grid.AddField("referenced", $"{Formats.Bytes(totals.Long("referencedBytes"))} ({Formats.Bytes(totals.Long("uniqueBytes"))} unique, {Formats.Bytes(totals.Long("sharedBytes"))} shared)");
            grid.AddField("unreferenced", $"{Formats.Bytes(totals.Long("unreferencedBytes"))} in {Formats.Number(totals.Long("unreferencedBlobs"))} blobs (GC reclaims them once past the grace)");
            Terminal.Write(host, new Rows(table, Text.Empty, grid));
            return ExitCodes.Ok;
        });
        return command;
    }
}
