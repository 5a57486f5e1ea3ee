using Nscr.Cli.CommandLine;

namespace Nscr.Cli.Tests.Infrastructure;

/// <summary>
/// A CLI run that keeps going (<c>--follow</c>): started in the background with captured, thread-safe output; the test
/// polls the output with a deadline, then cancels it as Ctrl+C would and gets the finished run.
/// </summary>
public sealed class FollowingRun : IDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly StringWriter output = new();
    private readonly StringWriter error = new();
    private readonly TextWriter sharedOutput;
    private readonly TextWriter sharedError;
    private readonly CancellationTokenSource interrupt = new();
    private readonly Task<int> run;

    public FollowingRun(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        sharedOutput = TextWriter.Synchronized(output);
        sharedError = TextWriter.Synchronized(error);
        var host = new CliHost(sharedOutput, sharedError, new StringReader(""), name => environment.GetValueOrDefault(name),
            InputIsTerminal: false, OutputIsTerminal: false, ErrorIsTerminal: false);
        run = Task.Run(() => NscrCommandLine.RunAsync(args, host, interrupt.Token));
    }

    /// <summary>What the run printed so far (the synchronised writer locks itself while writing).</summary>
    public string Out
    {
        get
        {
            lock (sharedOutput) return output.ToString();
        }
    }

    public string Error
    {
        get
        {
            lock (sharedError) return error.ToString();
        }
    }

    /// <summary>Waits until the output satisfies <paramref name="condition"/>; fails with what was printed when it does not in time.</summary>
    public async Task WaitForAsync(Func<string, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition(Out))
        {
            if (run.IsCompleted) throw new InvalidOperationException($"the run ended before {what}: exit {await run}\n{Out}\n{Error}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no {what} within {Wait}:\n--- stdout\n{Out}\n--- stderr\n{Error}");
            await Task.Delay(50);
        }
    }

    /// <summary>Cancels the run (as Ctrl+C does) and waits for it to end.</summary>
    public async Task<CliRun> InterruptAsync()
    {
        await interrupt.CancelAsync();
        var code = await run.WaitAsync(Wait);
        return new CliRun(code, Out, Error);
    }

    public void Dispose()
    {
        interrupt.Cancel();
        interrupt.Dispose();
    }
}
