using System.Diagnostics;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>Everything one end-to-end test starts (registries, dockerd, storage, temp dirs), a deadline
/// for the whole test, and the server logs printed to the test output when the test fails.</summary>
public sealed class TestScope : IAsyncDisposable
{
    private static readonly TimeSpan DefaultDeadline = TimeSpan.FromMinutes(3);

    private readonly ITestOutputHelper _output;
    private readonly CancellationTokenSource _deadline;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Stack<IAsyncDisposable> _resources = new();
    private readonly List<ILogSource> _logSources = [];

    private TestScope(ITestOutputHelper output, TimeSpan deadline)
    {
        _output = output;
        _deadline = new CancellationTokenSource(deadline);
    }

    public CancellationToken CancellationToken => _deadline.Token;

    public static async Task RunAsync(ITestOutputHelper output, Func<TestScope, Task> test, TimeSpan? deadline = null)
    {
        var scope = new TestScope(output, deadline ?? DefaultDeadline);
        try
        {
            await test(scope);
        }
        catch (Exception exception)
        {
            scope.WriteLogs(exception);
            throw;
        }
        finally
        {
            await scope.DisposeAsync();
        }
    }

    /// <summary>A progress line with the time since the test started (shows where the time goes).</summary>
    public void Step(string message) => _output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] {message}");

    public async Task<RegistryProcess> StartRegistryAsync(string? dataDir = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        Step("starting registry");
        var registry = await RegistryProcess.StartAsync(CancellationToken, dataDir, environment);
        _resources.Push(registry);
        _logSources.Add(registry);
        Step($"registry ready on {registry.HostPort}");
        return registry;
    }

    public async Task<DockerDaemon> StartDockerAsync()
    {
        Step("starting dockerd");
        var daemon = await DockerDaemon.StartAsync(CancellationToken);
        _resources.Push(daemon);
        _logSources.Add(daemon);
        Step("dockerd ready");
        return daemon;
    }

    /// <summary>Prints <paramref name="source"/>'s log too when the test fails (for servers the test did not start).</summary>
    public void AddLogSource(ILogSource source) => _logSources.Add(source);

    public ContainerStorage NewStorage() => Track(new ContainerStorage());

    public TempDirectory NewTempDirectory(string prefix) => Track(new TempDirectory(prefix));

    public async ValueTask DisposeAsync()
    {
        while (_resources.TryPop(out var resource))
        {
            await resource.DisposeAsync();
        }
        _deadline.Dispose();
    }

    private T Track<T>(T resource)
        where T : IDisposable
    {
        _resources.Push(new DisposeAdapter(resource));
        return resource;
    }

    private void WriteLogs(Exception exception)
    {
        Step($"FAILED: {exception.GetType().Name}");
        foreach (var source in _logSources)
        {
            _output.WriteLine($"===== log of {source.Name} =====");
            _output.WriteLine(source.Log);
        }
    }

    private sealed class DisposeAdapter(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
