using System.CommandLine;
using Nscr.Cli.Admin;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Config;

namespace Nscr.Cli.Commands;

/// <summary>
/// <c>nscr login &lt;url&gt; [-u user] [--password-stdin]</c>: checks the URL and credentials against the server
/// (<c>GET /api/status</c>) and stores them in <c>config.json</c> (mode 600, directory 700) for later commands;
/// <c>nscr logout</c> removes it.
/// </summary>
public static class LoginCommand
{
    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var url = new Argument<string?>("url") { Description = $"Registry URL (default: $NSCR_URL, else {ConnectionOptions.DefaultUrl})", Arity = ArgumentArity.ZeroOrOne };
        // --username/-u and --password/-p are the root's shared options (a user name of none stores the URL only).
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input" };
        var command = new Command("login", "Check and store the registry URL and credentials for later commands") { url, passwordStdin };
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            var target = ConnectionOptions.ParseUrl(NonEmpty(parse.GetValue(url)) ?? NonEmpty(parse.GetValue(connection.Url))
                ?? NonEmpty(host.Environment("NSCR_URL")) ?? ConnectionOptions.DefaultUrl);
            var user = NonEmpty(parse.GetValue(connection.Username)) ?? NonEmpty(host.Environment("NSCR_USERNAME"));
            var secret = user is null ? null : await PasswordAsync(host, parse.GetValue(connection.Password), parse.GetValue(passwordStdin), user);
            using (var api = new AdminApi(new Connection(target, user, secret)))
            {
                await api.GetAsync("api/status", cancellationToken);
            }
            var store = new LoginStore(host.ConfigDirectory);
            store.Save(new StoredLogin(target.ToString(), user, secret));
            await host.Out.WriteLineAsync(user is null
                ? $"{target} answers; stored as the default registry in {store.FilePath}"
                : $"logged in to {target} as {user}; stored in {store.FilePath}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateLogout(CliHost host)
    {
        var command = new Command("logout", "Forget the stored registry URL and credentials");
        CliAction.Set(command, host, async (_, _) =>
        {
            var store = new LoginStore(host.ConfigDirectory);
            await host.Out.WriteLineAsync(store.Delete() ? $"removed {store.FilePath}" : "not logged in");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string> PasswordAsync(CliHost host, string? flag, bool fromStdin, string user)
    {
        if (fromStdin)
        {
            var line = await host.In.ReadLineAsync();
            return string.IsNullOrEmpty(line) ? throw new CliException(ExitCodes.Usage, "--password-stdin: no password on standard input") : line;
        }
        if ((NonEmpty(flag) ?? NonEmpty(host.Environment("NSCR_PASSWORD"))) is { } given) return given;
        if (!host.InputIsTerminal) throw new CliException(ExitCodes.Usage, "no password: use --password-stdin, NSCR_PASSWORD or --password");
        return NonEmpty(host.ReadSecret($"Password for {user}: ")) ?? throw new CliException(ExitCodes.Usage, "no password given");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
