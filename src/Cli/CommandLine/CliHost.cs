namespace Nscr.Cli.CommandLine;

/// <summary>
/// The world the CLI runs in: its streams, environment and config directory, so tests can run it in-process with
/// captured output. <see cref="OutputIsTerminal"/> decides tables with ANSI styling versus plain text;
/// <see cref="InputIsTerminal"/> whether the CLI may ask (confirmations, a password).
/// </summary>
public sealed record CliHost(
    TextWriter Out,
    TextWriter Error,
    TextReader In,
    Func<string, string?> Environment,
    bool InputIsTerminal,
    bool OutputIsTerminal,
    bool ErrorIsTerminal)
{
    /// <summary>Reads a secret without echoing it (only called when <see cref="InputIsTerminal"/>).</summary>
    public Func<string, string?> ReadSecret { get; init; } = _ => null;

    public static CliHost FromProcess() => new(
        Console.Out,
        Console.Error,
        Console.In,
        System.Environment.GetEnvironmentVariable,
        !Console.IsInputRedirected,
        !Console.IsOutputRedirected,
        !Console.IsErrorRedirected)
    {
        ReadSecret = ReadConsoleSecret,
    };

    /// <summary><c>$XDG_CONFIG_HOME/nscr</c>, else <c>~/.config/nscr</c>.</summary>
    public string ConfigDirectory
    {
        get
        {
            var xdg = Environment("XDG_CONFIG_HOME");
            var root = !string.IsNullOrEmpty(xdg)
                ? xdg
                : Path.Combine(Environment("HOME") is { Length: > 0 } home ? home : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(root, "nscr");
        }
    }

    private static string? ReadConsoleSecret(string prompt)
    {
        Console.Error.Write(prompt);
        var secret = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0) secret.Length--;
                continue;
            }
            if (!char.IsControl(key.KeyChar)) secret.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return secret.ToString();
    }
}
