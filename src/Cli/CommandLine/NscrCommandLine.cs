using System.CommandLine;
using Nscr.Cli.Commands;

namespace Nscr.Cli.CommandLine;

/// <summary>The <c>nscr</c> root command: every subcommand lives in its own file under Commands/.</summary>
public static class NscrCommandLine
{
    public static RootCommand Create() => Create(CliHost.FromProcess());

    public static RootCommand Create(CliHost host) => new("nscr: command-line tool for the nscr OCI registry (talks to its admin API)")
    {
        StatusCommand.Create(host),
        ReposCommand.Create(host),
        TagsCommand.Create(host),
        InspectCommand.Create(host),
        RmCommand.Create(host),
        GcCommand.Create(host),
        DuCommand.Create(host),
        FsckCommand.Create(host),
        LoginCommand.Create(host),
        LoginCommand.CreateLogout(host),
        TortureCommand.Create(),
    };

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
