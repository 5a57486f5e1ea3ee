using System.CommandLine;

namespace Nscr.Cli.CommandLine;

/// <summary>Runs a command's action and turns its failures into the documented exit codes and one line on stderr.</summary>
public static class CliAction
{
    public static void Set(Command command, CliHost host, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken);
            }
            catch (CliException e)
            {
                await host.Error.WriteLineAsync($"nscr: {e.Message}");
                return e.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await host.Error.WriteLineAsync("nscr: interrupted");
                return ExitCodes.Interrupted;
            }
        });

    /// <summary>Writes the API's JSON as received, followed by a newline.</summary>
    public static Task WriteJsonAsync(CliHost host, string json) => host.Out.WriteLineAsync(json.TrimEnd());
}
