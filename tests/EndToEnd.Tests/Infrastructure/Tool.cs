using System.Diagnostics;

namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>The outcome of one external command, with everything needed to explain a failure.</summary>
public sealed record ToolResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public ToolResult EnsureSuccess() =>
        ExitCode == 0 ? this : throw new ToolFailedException(this);

    public override string ToString() =>
        $"`{CommandLine}` exited with {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

public sealed class ToolFailedException(ToolResult result) : Exception(result.ToString())
{
    public ToolResult Result { get; } = result;
}

/// <summary>Runs command-line clients (skopeo, podman, buildah, docker) with a timeout.</summary>
public static class Tool
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs the command and throws, with its output, unless it exits with 0.</summary>
    public static async Task<ToolResult> RunCheckedAsync(
        string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        (await RunAsync(fileName, arguments, cancellationToken, environment, timeout)).EnsureSuccess();

    public static async Task<ToolResult> RunAsync(
        string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }
        var commandLine = string.Join(' ', startInfo.ArgumentList.Prepend(fileName).Select(Quote));

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"could not start `{commandLine}`");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            var partial = new ToolResult(commandLine, -1, await stdout, await stderr);
            throw new TimeoutException($"timed out or cancelled: {partial}");
        }
        return new ToolResult(commandLine, process.ExitCode, await stdout, await stderr);
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:=@+,[]".Contains(c))
            ? argument
            : $"'{argument.Replace("'", "'\\''")}'";
}
