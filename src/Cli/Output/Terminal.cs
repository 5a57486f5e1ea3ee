using Nscr.Cli.CommandLine;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Nscr.Cli.Output;

/// <summary>
/// Spectre.Console consoles over the host's streams: styled when writing to a terminal, plain text (no colour, no ANSI
/// sequence, wide enough that no table wraps) when the output is redirected.
/// </summary>
public static class Terminal
{
    /// <summary>Width used when the output is not a terminal: lines are never wrapped for a pipe or a file.</summary>
    private const int RedirectedWidth = 400;

    public static IAnsiConsole Create(TextWriter writer, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!isTerminal) console.Profile.Width = RedirectedWidth;
        return console;
    }

    /// <summary>
    /// Writes <paramref name="renderable"/> to the host's output: styled on a terminal; otherwise plain, with the padding
    /// Spectre puts at the end of table lines removed (clean lines for grep, cut and diff).
    /// </summary>
    public static void Write(CliHost host, IRenderable renderable)
    {
        if (host.OutputIsTerminal)
        {
            Create(host.Out, isTerminal: true).Write(renderable);
            return;
        }
        using var buffer = new StringWriter();
        Create(buffer, isTerminal: false).Write(renderable);
        foreach (var line in buffer.ToString().TrimEnd('\n').Split('\n')) host.Out.WriteLine(line.TrimEnd());
    }

    /// <summary>A borderless table, like <c>docker images</c>: easy to read and to cut.</summary>
    public static Table Table(params string[] headers)
    {
        var table = new Table().Border(TableBorder.None);
        foreach (var header in headers) table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))).PadRight(2).PadLeft(0));
        return table;
    }

    /// <summary>Two columns, name and value, for one object.</summary>
    public static Grid Details()
    {
        var grid = new Grid();
        grid.AddColumn(new GridColumn().PadRight(2));
        grid.AddColumn();
        return grid;
    }

    public static void AddField(this Grid grid, string name, string value) =>
        grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));

    public static void AddTextRow(this Table table, params string[] cells) => table.AddRow(cells.Select(c => new Text(c)).ToArray());

    /// <summary>
    /// Runs <paramref name="work"/> under a spinner on stderr when stderr is a terminal (its status line updated through
    /// the callback); without a terminal, runs it silently.
    /// </summary>
    public static async Task<T> WithProgressAsync<T>(CliHost host, string status, Func<Action<string>, Task<T>> work)
    {
        if (!host.ErrorIsTerminal) return await work(_ => { });
        var console = Create(host.Error, isTerminal: true);
        return await console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(status),
            context => work(text => context.Status(Markup.Escape(text))));
    }
}
