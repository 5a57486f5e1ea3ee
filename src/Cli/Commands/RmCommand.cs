using System.CommandLine;
using Nscr.Cli.CommandLine;

namespace Nscr.Cli.Commands;

/// <summary>
/// <c>nscr rm &lt;repo&gt;:&lt;tag&gt;</c> (removes the tag), <c>nscr rm &lt;repo&gt;@&lt;digest&gt;</c> (the manifest and its
/// tags), <c>nscr rm --repo &lt;repo&gt;</c> (every tag and manifest). Asks first on a terminal unless <c>--yes</c>;
/// without a terminal <c>--yes</c> is required. The bytes come back at the next GC cycle.
/// </summary>
public static class RmCommand
{
    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var image = new Argument<string?>("image") { Description = "repo:tag or repo@digest", Arity = ArgumentArity.ZeroOrOne };
        var repo = new Option<string?>("--repo") { Description = "Delete a whole repository: every tag and manifest" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (required when not on a terminal)" };
        var command = new Command("rm", "Delete a tag, a manifest (by digest) or a whole repository; space comes back at the next GC") { image, repo, yes };
        command.Validators.Add(result =>
        {
            var hasImage = result.GetValue(image) is { Length: > 0 };
            var hasRepo = result.GetValue(repo) is { Length: > 0 };
            if (hasImage == hasRepo) result.AddError("give either repo:tag, repo@digest, or --repo <repo>");
        });
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            var (what, path) = Target(parse.GetValue(image), parse.GetValue(repo));
            if (!parse.GetValue(yes)) await ConfirmAsync(host, what);
            using var api = connection.Connect(parse, host);
            var answer = await api.SendAsync(HttpMethod.Delete, path, cancellationToken);
            if (parse.GetValue(connection.Json)) await CliAction.WriteJsonAsync(host, answer.Body);
            else await host.Out.WriteLineAsync($"deleted {what}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (string What, string Path) Target(string? image, string? repo)
    {
        if (repo is { Length: > 0 })
        {
            var name = ImageReference.Parse(repo);
            if (name.Reference is not null) throw new CliException(ExitCodes.Usage, $"--repo takes a repository name, not '{repo}'");
            return ($"repository {name.Repository}", $"api/repositories/{name.Repository}");
        }
        var reference = ImageReference.Parse(image!);
        return reference switch
        {
            { Digest: { } digest } => ($"manifest {reference}", $"api/repositories/{reference.Repository}/manifests/{digest}"),
            { Tag: { } tag } => ($"tag {reference}", $"api/repositories/{reference.Repository}/tags/{tag}"),
            _ => throw new CliException(ExitCodes.Usage,
                $"'{image}' names no tag or digest: use {image}:<tag>, {image}@<digest>, or --repo {image} for the whole repository"),
        };
    }

    private static async Task ConfirmAsync(CliHost host, string what)
    {
        if (!host.InputIsTerminal) throw new CliException(ExitCodes.Usage, $"not on a terminal: add --yes to delete {what}");
        await host.Error.WriteAsync($"Delete {what}? [y/N] ");
        await host.Error.FlushAsync();
        var answer = (await host.In.ReadLineAsync())?.Trim();
        if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException(ExitCodes.Usage, "not deleted");
        }
    }
}
