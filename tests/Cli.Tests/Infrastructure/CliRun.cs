using System.Text.Json;
using Nscr.Cli.CommandLine;

namespace Nscr.Cli.Tests.Infrastructure;

/// <summary>What one run of the CLI printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Out);
            return document.RootElement.Clone();
        }
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";

    /// <summary>
    /// Runs <c>nscr</c> in-process through its entry point with captured streams, the given environment only (nothing
    /// leaks in from the test process) and no terminal.
    /// </summary>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, string? input, string[] args, bool inputIsTerminal = false)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var host = new CliHost(output, error, new StringReader(input ?? ""), name => environment.GetValueOrDefault(name),
            InputIsTerminal: inputIsTerminal, OutputIsTerminal: false, ErrorIsTerminal: false);
        var code = await NscrCommandLine.RunAsync(args, host);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
