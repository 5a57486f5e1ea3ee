using System.Diagnostics;
using System.Reflection;
using System.Text;
using Nscr.EndToEnd.Tests.Infrastructure;

namespace Nscr.EndToEnd.Tests.Cluster;

/// <summary>
/// A cluster started by <c>deploy/local-cluster.sh</c> (PostgreSQL, silos, gateways, nginx) in a private state
/// directory on a private range of loopback ports. Everything goes through the script, as a user would do it.
/// </summary>
public sealed class LocalCluster : ILogSource
{
    public const int Silos = 3;
    public const int Gateways = 2;
    private const int PortsUsed = 30;
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);

    private readonly string _script;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly ProcessLog _scriptLog = new();

    public LocalCluster(string stateDirectory, IReadOnlyDictionary<string, string> registrySettings)
    {
        StateDirectory = stateDirectory;
        PortBase = FreePort.Range(PortsUsed);
        _script = Path.Combine(ServerLaunch.FindRepositoryRoot(), "deploy", "local-cluster.sh");
        var configuration = typeof(LocalCluster).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        _settings = new Dictionary<string, string>(registrySettings)
        {
            ["NSCR_CLUSTER_DIR"] = stateDirectory,
            ["NSCR_CLUSTER_PORT_BASE"] = PortBase.ToString(),
            ["NSCR_CLUSTER_CONFIGURATION"] = configuration ?? "Release",
        };
    }

    public string StateDirectory { get; }

    public int PortBase { get; }

    /// <summary>The nginx load balancer (the script's layout: base port).</summary>
    public Uri LoadBalancer => new($"http://127.0.0.1:{PortBase}/");

    public string LoadBalancerHostPort => $"127.0.0.1:{PortBase}";

    /// <summary>Gateway <paramref name="index"/> (1-based) directly, bypassing the load balancer.</summary>
    public Uri Gateway(int index) => new($"http://{GatewayHostPort(index)}/");

    public string GatewayHostPort(int index) => $"127.0.0.1:{PortBase + index}";

    public string Name => $"local cluster in {StateDirectory}";

    /// <summary>The script's own output, then the tail of every component's log.</summary>
    public string Log
    {
        get
        {
            var text = new StringBuilder(_scriptLog.ToString());
            var logs = Path.Combine(StateDirectory, "logs");
            if (Directory.Exists(logs))
            {
                foreach (var file in Directory.EnumerateFiles(logs).Order())
                {
                    text.AppendLine($"----- {Path.GetFileName(file)} (last lines) -----");
                    foreach (var line in File.ReadLines(file).TakeLast(60))
                    {
                        text.AppendLine(line);
                    }
                }
            }
            return text.ToString();
        }
    }

    public Task UpAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken, "up");

    public Task DownAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken, "down");

    public Task KillSiloAsync(int index, CancellationToken cancellationToken) =>
        RunAsync(cancellationToken, "kill-silo", index.ToString());

    public Task StartSiloAsync(int index, CancellationToken cancellationToken) =>
        RunAsync(cancellationToken, "start-silo", index.ToString());

    /// <summary>`status`: exit code 0 when every component runs, 3 when one is stopped.</summary>
    public Task<ToolResult> StatusAsync(CancellationToken cancellationToken) =>
        RunAsync(cancellationToken, check: false, "status");

    /// <summary>Pids of the processes the pid files name (postgres, nginx, silo1…, gateway1…).</summary>
    public IReadOnlyDictionary<string, int> Pids()
    {
        var directory = Path.Combine(StateDirectory, "pids");
        return Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.pid")
                .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => int.Parse(File.ReadAllText(f).Trim()))
            : new Dictionary<string, int>();
    }

    private Task<ToolResult> RunAsync(CancellationToken cancellationToken, params string[] arguments) =>
        RunAsync(cancellationToken, check: true, arguments);

    private async Task<ToolResult> RunAsync(CancellationToken cancellationToken, bool check, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(_script);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        // Only the settings given here reach the cluster, never NSCR_* variables of the developer's shell.
        foreach (var inherited in startInfo.Environment.Keys.Where(k => k.StartsWith("NSCR_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(inherited);
        }
        foreach (var (name, value) in _settings)
        {
            startInfo.Environment[name] = value;
        }
        var commandLine = $"local-cluster.sh {string.Join(' ', arguments)}";
        _scriptLog.Note($"$ {commandLine}");
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {commandLine}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        var result = new ToolResult(commandLine, process.HasExited ? process.ExitCode : -1, await stdout, await stderr);
        _scriptLog.Note(result.StandardOutput.TrimEnd() + "\n" + result.StandardError.TrimEnd());
        return check ? result.EnsureSuccess() : result;
    }
}
