using System.Diagnostics;
using System.Reflection;
using Nscr.Cli.Tests.Infrastructure;
using Xunit;

namespace Nscr.Cli.Tests.EndToEnd;

/// <summary>
/// The CLI packs as a .NET tool that installs and runs: <c>dotnet pack</c> (of the build the tests already made),
/// <c>dotnet tool install --tool-path</c> from that package alone, then the installed <c>nscr</c> executable.
/// </summary>
public sealed class ToolPackageTests(CliRegistry registry) : IClassFixture<CliRegistry>
{
    [Fact]
    public async Task PacksInstallsAndRunsAsADotnetTool()
    {
        var work = Path.Combine(registry.Root, "tool");
        var packages = Path.Combine(work, "packages");
        var tools = Path.Combine(work, "tools");
        Directory.CreateDirectory(work);
        var configuration = typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var project = Path.Combine(RepositoryRoot(), "src", "Cli", "Cli.csproj");
        await RunAsync("dotnet", ["pack", project, "-c", configuration, "--no-build", "-o", packages]);
        Assert.Single(Directory.GetFiles(packages, "nscr.*.nupkg"));

        // Only the package folder as a source: the tool carries its dependencies.
        var nugetConfig = Path.Combine(work, "nuget.config");
        await File.WriteAllTextAsync(nugetConfig,
            $"<configuration><packageSources><clear /><add key=\"local\" value=\"{packages}\" /></packageSources></configuration>");
        await RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--configfile", nugetConfig, "nscr"]);

        var nscr = Path.Combine(tools, "nscr");
        var help = await RunAsync(nscr, ["--help"]);
        Assert.Contains("inspect <image>", help.Out);

        var status = await RunAsync(nscr, ["status", "--url", registry.Url.ToString(), "--json"]);
        Assert.Contains("\"mode\":\"embedded\"", status.Out);

        var unreachable = await RunAsync(nscr, ["repos", "--url", "http://127.0.0.1:9"], expectedExit: 5);
        Assert.Contains("connection refused", unreachable.Error);
        Assert.Empty(unreachable.Out);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Nscr.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Nscr.sln not found above the test binaries");
    }

    private static async Task<(string Out, string Error)> RunAsync(string file, string[] args, int expectedExit = 0)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("NSCR_URL");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var result = (await output, await error);
        Assert.True(process.ExitCode == expectedExit, $"{file} {string.Join(' ', args)} exited {process.ExitCode}\n{result.Item1}\n{result.Item2}");
        return result;
    }
}
