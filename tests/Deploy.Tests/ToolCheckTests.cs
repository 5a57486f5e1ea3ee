using System.Text.RegularExpressions;

namespace Nscr.Deploy.Tests;

/// <summary>The scripts, units and container file, checked with the tools this machine has.</summary>
public sealed class ToolCheckTests
{
    [Fact]
    public void ShellScriptsAreShellcheckClean()
    {
        var scripts = new[] { "local-cluster.sh", "bench-cluster.sh", "container/build.sh", "container/nscr-entrypoint" }
            .Select(s => DeployFiles.Deploy(s.Split('/'))).ToArray();
        var (exitCode, output) = DeployFiles.Run(DeployFiles.Require("shellcheck"), scripts);
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void SystemdUnitsVerify()
    {
        var analyze = DeployFiles.Require("systemd-analyze");
        var directory = Directory.CreateTempSubdirectory("nscr-units-");
        try
        {
            // Templates are verified as instances; the binaries are not installed on a test machine, which is the
            // only complaint allowed.
            var units = Directory.EnumerateFiles(DeployFiles.Deploy("systemd"), "*@.service").Select(template =>
            {
                var instance = Path.Combine(directory.FullName, Path.GetFileName(template).Replace("@.", "@1."));
                File.Copy(template, instance);
                return instance;
            }).ToArray();
            Assert.Equal(2, units.Length);
            var (_, output) = DeployFiles.Run(analyze, ["verify", .. units]);
            var problems = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(line => !Regex.IsMatch(line, @"Command /opt/nscr/Nscr\.(Silo|Gateway) is not executable")).ToList();
            Assert.True(problems.Count == 0, string.Join('\n', problems));
            foreach (var unit in units)
            {
                var text = File.ReadAllText(unit);
                Assert.Matches(@"ExecStart=/opt/nscr/Nscr\.(Silo|Gateway)\n", text);
                Assert.Contains("EnvironmentFile=/etc/nscr/cluster.env", text);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void TheImageRunsTheAssembliesThisBuildProducesOnThePortsTheSettingsUse()
    {
        var containerfile = File.ReadAllText(DeployFiles.Deploy("container", "Containerfile.cluster"));
        var entrypoint = File.ReadAllText(DeployFiles.Deploy("container", "nscr-entrypoint"));
        Assert.Contains("ARG BASE_IMAGE=debian:bookworm-slim", containerfile);
        Assert.Matches(@"EXPOSE 7000 11111 30000\n", containerfile);
        Assert.Contains("NSCR_PORT=7000", containerfile);
        Assert.Contains("ENTRYPOINT [\"/usr/local/bin/nscr-entrypoint\"]", containerfile);
        // The self-contained publish names its executables after the assemblies.
        Assert.Contains($"exec /opt/nscr/{typeof(Nscr.Gateway.Hosting.RegistryOptions).Assembly.GetName().Name} ", entrypoint);
        Assert.Contains($"exec /opt/nscr/{typeof(Nscr.Silo.Configuration.NscrClusterOptions).Assembly.GetName().Name} ", entrypoint);
        Assert.Contains("localhost/nscr:latest", File.ReadAllText(DeployFiles.Deploy("container", "build.sh")));
    }
}
