using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Nscr.Deploy.Tests;

/// <summary>The deploy/ folder of this checkout, its YAML documents and the external tools that check its files.</summary>
public static class DeployFiles
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Deploy(params string[] parts) => Path.Combine([RepositoryRoot, "deploy", .. parts]);

    /// <summary>Every YAML document of a file (a Kubernetes manifest may hold several).</summary>
    public static IReadOnlyList<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    /// <summary>Every node of a tree, depth first.</summary>
    public static IEnumerable<YamlNode> Walk(YamlNode node) => node.AllNodes;

    public static string? Scalar(YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }
            current = next;
        }
        return (current as YamlScalarNode)?.Value;
    }

    public static YamlNode? Node(YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }
            current = next;
        }
        return current;
    }

    /// <summary>Runs a tool to completion; (exit code, stdout + stderr).</summary>
    public static (int ExitCode, string Output) Run(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill();
            throw new TimeoutException($"{fileName} did not finish in a minute");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The full path of a command on PATH (test.sh installs the ones these tests use), or a failure.</summary>
    public static string Require(string command)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Concat(["/usr/sbin", "/sbin"])
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);
        Assert.True(found is not null, $"{command} is not installed (./test.sh installs it when run as root)");
        return found!;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nscr.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no Nscr.sln above {AppContext.BaseDirectory}");
    }
}
