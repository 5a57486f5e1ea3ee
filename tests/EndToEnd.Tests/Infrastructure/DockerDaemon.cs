using System.Diagnostics;

namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>A private dockerd (vfs, no networking setup) with its own data root and socket, so the
/// Docker test touches nothing of the machine's own Docker (if any).</summary>
public sealed class DockerDaemon : ILogSource, IAsyncDisposable
{
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new("dk");
    private readonly ProcessLog _log = new();
    private Process? _process;

    private DockerDaemon()
    {
    }

    /// <summary>The -H value for the docker CLI (and skopeo's --dest-daemon-host).</summary>
    public string Host => $"unix://{_directory.Combine("d.sock")}";

    public string Name => $"dockerd {Host}";

    public string Log => _log.ToString();

    public static async Task<DockerDaemon> StartAsync(CancellationToken cancellationToken)
    {
        var daemon = new DockerDaemon();
        try
        {
            await daemon.LaunchAsync(cancellationToken);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the docker CLI against this daemon, failing on a non-zero exit.</summary>
    public Task<ToolResult> DockerAsync(CancellationToken cancellationToken, params string[] arguments) =>
        Tool.RunCheckedAsync("docker", ["-H", Host, .. arguments], cancellationToken, CliEnvironment);

    /// <summary>Runs the docker CLI against this daemon and returns whatever it did (for commands expected to fail).</summary>
    public Task<ToolResult> TryDockerAsync(CancellationToken cancellationToken, params string[] arguments) =>
        Tool.RunAsync("docker", ["-H", Host, .. arguments], cancellationToken, CliEnvironment);

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            // dockerd stops the containerd it started on SIGTERM; give it time to do so.
            await Posix.TerminateAndWaitAsync(process, TimeSpan.FromSeconds(30));
            process.Dispose();
        }
        _directory.Dispose();
    }

    /// <summary>A private CLI config dir: no credentials or settings from the machine leak in.</summary>
    private Dictionary<string, string> CliEnvironment => new() { ["DOCKER_CONFIG"] = _directory.Combine("cli") };

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("dockerd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--storage-driver=vfs", "--iptables=false", "--ip6tables=false", "--bridge=none",
            "--data-root", _directory.Combine("root"), "--exec-root", _directory.Combine("exec"),
            "--pidfile", _directory.Combine("pid"), "-H", Host,
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("dockerd did not start");
        _log.Attach(_process, "dockerd");

        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException($"dockerd exited with {_process.ExitCode}\n{Log}");
            }
            var info = await Tool.RunAsync("docker", ["-H", Host, "info"], cancellationToken, CliEnvironment);
            if (info.ExitCode == 0)
            {
                return;
            }
            if (stopwatch.Elapsed > StartupDeadline)
            {
                throw new TimeoutException($"dockerd not ready after {StartupDeadline}: {info}\n{Log}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }
}
