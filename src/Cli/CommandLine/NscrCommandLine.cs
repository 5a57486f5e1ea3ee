using System.CommandLine;
using Nscr.Cli.Commands;

namespace Nscr.Cli.CommandLine;

/// <summary>The <c>nscr</c> root command: every subcommand lives in its own file under Commands/.</summary>
public static class NscrCommandLine
{
    public static RootCommand Create() => new("nscr: command-line tool for the nscr OCI registry")
    {
        TortureCommand.Create(),
    };
}
