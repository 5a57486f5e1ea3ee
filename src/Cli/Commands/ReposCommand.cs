using System.CommandLine;
using System.Text.Json;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Output;

namespace Nscr.Cli.Commands;

/// <summary><c>nscr repos</c>: repositories with tag and manifest counts, size and last push (<c>GET /api/repositories</c>, every page).</summary>
public static class ReposCommand
{
    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var filter = new Option<string?>("--filter", "-f") { Description = "Only repositories whose name contains this text (case-insensitive)" };
        var limit = new Option<int>("--limit") { Description = "Show at most this many (default: all)" };
        limit.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--limit must be 0 (all) or more"); });
        var command = new Command("repos", "List repositories: tags, manifests, size and last push") { filter, limit };
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            using var api = connection.Connect(parse, host);
            var text = parse.GetValue(filter);
            var path = string.IsNullOrEmpty(text) ? "api/repositories" : $"api/repositories?q={Uri.EscapeDataString(text)}";
            var document = await Pages.ReadAllAsync(api, path, "repositories", parse.GetValue(limit), cancellationToken);
            if (parse.GetValue(connection.Json))
            {
                await CliAction.WriteJsonAsync(host, document.ToJsonString());
                return ExitCodes.Ok;
            }
            using var parsed = JsonDocument.Parse(document.ToJsonString());
            var repositories = parsed.RootElement.Items("repositories").ToArray();
            if (repositories.Length == 0)
            {
                await host.Error.WriteLineAsync(string.IsNullOrEmpty(text) ? "no repositories" : $"no repository matches '{text}'");
                return ExitCodes.Ok;
            }
            var table = Terminal.Table("REPOSITORY", "TAGS", "MANIFESTS", "SIZE", "LAST PUSH");
            foreach (var repository in repositories)
            {
                table.AddTextRow(repository.Str("name"), Formats.Number(repository.Long("tags")), Formats.Number(repository.Long("manifests")),
                    Formats.Bytes(repository.Long("sizeBytes")), Formats.Time(repository.Get("lastPushedAt")));
            }
            Terminal.Write(host, table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
