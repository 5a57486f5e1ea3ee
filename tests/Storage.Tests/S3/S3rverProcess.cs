using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nscr.Storage.Tests.S3;

/// <summary>
/// A real S3-API server (the npm package s3rver, installed by test.sh into tests/Storage.Tests/s3rver) on a
/// loopback port with a temporary data dir and one bucket, stopped and removed on dispose.
/// </summary>
public sealed class S3rverProcess : IAsyncLifetime
{
    public const string Bucket = "nscr-test";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nscr-s3rver", Guid.NewGuid().ToString("N"));
    private Process? _process;

    public int Port { get; private set; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        var script = FindScript();
        Directory.CreateDirectory(_directory);
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            var start = new ProcessStartInfo("node")
            {
                // s3rver's ListObjectsV2 continuation tokens use DES, which OpenSSL 3 only has in its legacy provider.
                ArgumentList = { "--openssl-legacy-provider", script, "-d", _directory, "-a", "127.0.0.1", "-p", Port.ToString(), "--silent", "--configure-bucket", Bucket },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            _process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            if (await WaitUntilListeningAsync(TimeSpan.FromSeconds(20))) return;
            Stop();
            if (attempt == 3) throw new InvalidOperationException($"s3rver did not start listening on port {Port}");
        }
    }

    public Task DisposeAsync()
    {
        Stop();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        return Task.CompletedTask;
    }

    /// <summary>Every object in the bucket under <paramref name="prefix"/>, as relative paths of s3rver's files.</summary>
    public IReadOnlyList<string> ObjectFiles(string prefix = "")
    {
        var bucketDirectory = Path.Combine(_directory, Bucket);
        if (!Directory.Exists(bucketDirectory)) return [];
        return Directory.EnumerateFiles(bucketDirectory, "*._S3rver_object", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(bucketDirectory, path)[..^"._S3rver_object".Length])
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
    }

    private void Stop()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
            _process = null;
        }
    }

    private async Task<bool> WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && _process is { HasExited: false })
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>tests/Storage.Tests/s3rver/node_modules/s3rver/bin/s3rver.js, found from the test binaries upwards.</summary>
    private static string FindScript()
    {
        const string relative = "tests/Storage.Tests/s3rver/node_modules/s3rver/bin/s3rver.js";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            $"s3rver is not installed: run ./test.sh, or `npm ci --no-audit --no-fund` in tests/Storage.Tests/s3rver ({relative} not found)");
    }
}
