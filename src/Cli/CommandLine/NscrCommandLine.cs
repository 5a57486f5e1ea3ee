using System.CommandLine;
using Nscr.Cli.Commands;

namespace Nscr.Cli.CommandLine;

/// <summary>The <c>nscr</c> root command: every subcommand lives in its own file under Commands/.</summary>
public static class NscrCommandLine
{
    public static RootCommand Create() => Create(CliHost.FromProcess());

    /// <summary>
    /// The connection options (<c>--url</c>, <c>--username</c>, <c>--password</c>, <c>--json</c>) live on the root and are
    /// recursive: they may come before or after the subcommand (<c>nscr --url X status</c> = <c>nscr status --url X</c>).
    /// </summary>
    public static RootCommand Create(CliHost host)
    {
        var connection = new ConnectionOptions();
        var root = new RootCommand("nscr: command-line tool for the nscr OCI registry (talks to its admin API)")
        {
            StatusCommand.Create(host, connection),
            ReposCommand.Create(host, connection),
            TagsCommand.Create(host, connection),
            InspectCommand.Create(host, connection),
            RmCommand.Create(host, connection),
            GcCommand.Create(host, connection),
            RetentionCommand.Create(host, connection),
            DuCommand.Create(host, connection),
            FsckCommand.Create(host, connection),
            LogsCommand.Create(host, connection),
            EventsCommand.Create(host, connection),
            ThroughputCommand.Create(host, connection),
            LoginCommand.Create(host, connection),
            LoginCommand.CreateLogout(host),
            TortureCommand.Create(host, connection),
        };
        connection.AddTo(root);
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/> with <paramref name="host"/>'s streams; the entry point of the executable
    /// and of in-process tests. A parse error prints the problem and the help and exits 2.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken = default)
    {
        var parse = Create(host).Parse(args);
        var configuration = new InvocationConfiguration { Output = host.Out, Error = host.Error };
        var code = await parse.InvokeAsync(configuration, cancellationToken);
        return parse.Errors.Count > 0 ? ExitCodes.Usage : code;
    }
}
