using System.Diagnostics;
using System.Net;

namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>The registry under test as a real child process on a free loopback port.</summary>
public sealed class RegistryProcess : ILogSource, IAsyncDisposable
{
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    private readonly TempDirectory? _ownedDataDir;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ProcessLog _log = new();
    // The probe only asks "is it up?": over TLS it accepts whatever certificate the registry shows.
    private readonly HttpClient _probe = new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    }) { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;
    private int _starts;

    private RegistryProcess(string dataDir, TempDirectory? ownedDataDir, IReadOnlyDictionary<string, string>? environment)
    {
        DataDir = dataDir;
        _ownedDataDir = ownedDataDir;
        _environment = environment ?? new Dictionary<string, string>();
        Port = FreePort.Next();
    }

    public int Port { get; }

    public string DataDir { get; }

    /// <summary>host:port as clients write it in image references.</summary>
    public string HostPort => $"127.0.0.1:{Port}";

    /// <summary>https when started with NSCR_TLS_CERT.</summary>
    public Uri BaseAddress => new($"{(_environment.ContainsKey("NSCR_TLS_CERT") ? "https" : "http")}://{HostPort}/");

    public string Name => $"registry {HostPort} (data dir {DataDir})";

    public string Log => _log.ToString();

    /// <summary>Starts on a new temp data dir (removed on dispose), or on <paramref name="dataDir"/>;
    /// <paramref name="environment"/> adds settings (e.g. <c>NSCR_GC_GRACE</c>) to every start.</summary>
    public static async Task<RegistryProcess> StartAsync(
        CancellationToken cancellationToken,
        string? dataDir = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var owned = dataDir is null ? new TempDirectory("data") : null;
        var registry = new RegistryProcess(dataDir ?? owned!.Path, owned, environment);
        try
        {
            await registry.LaunchAsync(cancellationToken);
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    /// <summary>Graceful stop: SIGTERM, then wait for the exit.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            _log.Note("stopping (SIGTERM)");
            await Posix.TerminateAndWaitAsync(process, StopGrace);
            _log.Note($"exited with {process.ExitCode}");
        }
    }

    /// <summary>Crash: SIGKILL, no chance to flush or clean up.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            _log.Note("killing (SIGKILL)");
            process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>Waits until the process ended by itself (a crash it caused) and its output is read; its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        var process = _process ?? throw new InvalidOperationException("registry not started");
        await process.WaitForExitAsync(cancellationToken);
        _log.Note($"exited with {process.ExitCode}");
        return process.ExitCode;
    }

    /// <summary>Starts again on the same port and data dir (stopping first if still running).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync();
        await LaunchAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        _probe.Dispose();
        _ownedDataDir?.Dispose();
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var launch = ServerLaunch.For(Port, DataDir);
        var startInfo = new ProcessStartInfo(launch.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launch.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        // Only the settings given here reach the registry, never NSCR_* variables of the developer's shell.
        foreach (var inherited in startInfo.Environment.Keys.Where(k => k.StartsWith("NSCR_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(inherited);
        }
        foreach (var (name, value) in launch.Environment.Concat(_environment))
        {
            startInfo.Environment[name] = value;
        }
        _process?.Dispose();
        _starts++;
        _log.Note($"start #{_starts}: {launch.FileName} {string.Join(' ', launch.Arguments)} on port {Port}");
        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("registry did not start");
        _log.Attach(_process, $"run{_starts}");
        await WaitUntilReadyAsync(_process, cancellationToken);
    }

    private async Task WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException(
                    $"registry exited with {process.ExitCode} before it was ready\n{Log}");
            }
            try
            {
                using var response = await _probe.GetAsync(new Uri(BaseAddress, "v2/"), cancellationToken);
                // 401: authentication is on, and the server answers.
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    _log.Note($"ready after {stopwatch.ElapsedMilliseconds} ms");
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Probe timed out: the process is busy starting.
            }
            if (stopwatch.Elapsed > StartupDeadline)
            {
                throw new TimeoutException($"registry not ready after {StartupDeadline}\n{Log}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }
}
