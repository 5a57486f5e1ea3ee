using System.CommandLine;
using System.Text.Json;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Output;

namespace Nscr.Cli.Commands;

/// <summary><c>nscr tags &lt;repo&gt;</c>: tags with digest, type, size, platforms and push time (<c>GET /api/repositories/&lt;repo&gt;/tags</c>).</summary>
public static class TagsCommand
{
    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var repository = new Argument<string>("repository") { Description = "Repository name, e.g. team/app" };
        var limit = new Option<int>("--limit") { Description = "Show at most this many (default: all)" };
        var command = new Command("tags", "List the tags of a repository: digest, type, size, platforms, push time") { repository, limit };
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            var name = ImageReference.Parse(parse.GetValue(repository)!);
            if (name.Reference is not null) throw new CliException(ExitCodes.Usage, $"give a repository name, not an image ('{name}')");
            using var api = connection.Connect(parse, host);
            var document = await Pages.ReadAllAsync(api, $"api/repositories/{name.Repository}/tags", "tags", parse.GetValue(limit), cancellationToken);
            if (parse.GetValue(connection.Json))
            {
                await CliAction.WriteJsonAsync(host, document.ToJsonString());
                return ExitCodes.Ok;
            }
            using var parsed = JsonDocument.Parse(document.ToJsonString());
            var tags = parsed.RootElement.Items("tags").ToArray();
            if (tags.Length == 0)
            {
                await host.Error.WriteLineAsync($"{name.Repository} has no tags (only untagged manifests)");
                return ExitCodes.Ok;
            }
            var table = Terminal.Table("TAG", "DIGEST", "TYPE", "SIZE", "PLATFORMS", "PUSHED");
            foreach (var tag in tags)
            {
                var platforms = string.Join(",", tag.Items("platforms").Select(Formats.Platform));
                table.AddTextRow(tag.Str("tag"), Formats.ShortDigest(tag.Str("digest")), Formats.MediaType(tag.Str("mediaType")),
                    Formats.Bytes(tag.Long("sizeBytes")), platforms.Length > 0 ? platforms : "-", Formats.Time(tag.Get("pushedAt")));
            }
            Terminal.Write(host, table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
