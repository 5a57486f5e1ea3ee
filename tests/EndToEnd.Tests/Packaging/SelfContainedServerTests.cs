using System.Diagnostics;
using System.Net;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Packaging;

/// <summary>
/// The self-contained publish (`dotnet publish src/Gateway -c Release -r linux-x64 --self-contained`) starts with no
/// .NET on the machine's paths, answers /v2/ and serves the web UI from its embedded files. ./test.sh publishes once into artifacts/server; run alone, the test
/// publishes there itself (a few minutes).
/// </summary>
public sealed class SelfContainedServerTests(ITestOutputHelper output)
{
    [Fact]
    public Task TheSelfContainedServer_RunsWithoutADotnetInstall() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var publish = Environment.GetEnvironmentVariable("NSCR_SERVER_PUBLISH_DIR") ?? Path.Combine(RepositoryRoot(), "artifacts", "server");
        var server = Path.Combine(publish, "nscr-server");
        if (!File.Exists(server))
        {
            scope.Step($"publishing into {publish}");
            await Tool.RunCheckedAsync("dotnet",
                ["publish", Path.Combine(RepositoryRoot(), "src", "Gateway"), "-c", "Release", "-r", "linux-x64", "--self-contained", "-o", publish],
                ct, timeout: TimeSpan.FromMinutes(10));
        }
        Assert.True(File.Exists(server), $"{server} missing after the publish");
        Assert.False(File.Exists(Path.Combine(publish, "Nscr.Gateway.dll")), "a single-file publish has no loose assemblies");

        var data = scope.NewTempDirectory("sc-data");
        var extract = scope.NewTempDirectory("sc-bundle");
        var port = FreePort.Next();
        var start = new ProcessStartInfo(server) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_", StringComparison.Ordinal) || k.StartsWith("NSCR_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        // No dotnet on PATH and no DOTNET_ROOT: whatever runs comes from the bundle.
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["NSCR_PORT"] = port.ToString();
        start.Environment["NSCR_LISTEN_ADDRESS"] = "127.0.0.1";
        start.Environment["NSCR_DATA_DIR"] = data.Path;
        start.Environment["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = extract.Path;
        var log = new ProcessLog();
        using var process = Process.Start(start)!;
        log.Attach(process, "server");
        try
        {
            scope.Step("waiting for /v2/");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(process.HasExited, $"nscr-server exited with {(process.HasExited ? process.ExitCode : 0)}\n{log}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"nscr-server not answering after 90 s\n{log}");
                try
                {
                    using var response = await http.GetAsync("v2/", ct);
                    if (response.StatusCode == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(200, ct);
            }
            scope.Step($"answered after {clock.ElapsedMilliseconds} ms");
            using var ready = await http.GetAsync("readyz", ct);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.True(File.Exists(Path.Combine(data.Path, "nscr.db")), "the database was created in the data dir");

            scope.Step("the web UI is inside the binary");
            var page = await http.GetStringAsync("", ct);
            var chart = System.Text.RegularExpressions.Regex.Match(page, "src=\"(/ui/[^\"]+/vendor/uPlot.iife.min.js)\"").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(chart), $"no uPlot script in the page:\n{page}");
            using var script = await http.GetAsync(chart.TrimStart('/'), ct);
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.True((await script.Content.ReadAsByteArrayAsync(ct)).Length > 10_000, "uPlot's browser build is embedded whole");
        }
        finally
        {
            await Posix.TerminateAndWaitAsync(process, TimeSpan.FromSeconds(30));
        }
    }, TimeSpan.FromMinutes(15));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nscr.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("no Nscr.sln above the test binaries");
    }
}
