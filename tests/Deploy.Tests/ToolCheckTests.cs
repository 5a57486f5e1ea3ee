using System.Text.RegularExpressions;

namespace Nscr.Deploy.Tests;

/// <summary>The scripts, units and container file, checked with the tools this machine has.</summary>
public sealed class ToolCheckTests
{
    [Fact]
    public void ShellScriptsAreShellcheckClean()
    {
        var scripts = new[] { "local-cluster.sh", "bench-cluster.sh" }.Select(s => DeployFiles.Deploy(s))
            .Concat(Directory.EnumerateFiles(DeployFiles.Deploy("container")).Where(f => Path.GetFileName(f) != "Containerfile"))
            .ToArray();
        Assert.Equal(9, scripts.Length);
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
                .Where(line => !Regex.IsMatch(line, @"Command /opt/nscr/(Nscr\.Silo|nscr-server) is not executable")).ToList();
            Assert.True(problems.Count == 0, string.Join('\n', problems));
            foreach (var unit in units)
            {
                var text = File.ReadAllText(unit);
                // The self-contained publishes' executables, as in the container image.
                Assert.Matches(@"ExecStart=/opt/nscr/(Nscr\.Silo|nscr-server)\n", text);
                Assert.Contains("EnvironmentFile=/etc/nscr/cluster.env", text);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void OneContainerfileBuildsTheImageOfEveryRole()
    {
        var container = DeployFiles.Deploy("container");
        Assert.Equal(["Containerfile", "build-base.sh", "build.sh", "lib.sh", "nscr-entrypoint", "nscr-healthcheck", "smoke-cluster.sh", "smoke.sh"],
            Directory.EnumerateFiles(container).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var containerfile = File.ReadAllText(Path.Combine(container, "Containerfile"));
        Assert.Contains("ARG BASE_IMAGE=nscr-base:bookworm", containerfile);
        Assert.Matches(@"EXPOSE 7000 11111 30000\n", containerfile);
        Assert.Contains("NSCR_PORT=7000", containerfile);
        Assert.Contains("NSCR_DATA_DIR=/var/lib/nscr", containerfile);
        Assert.Contains("VOLUME /var/lib/nscr", containerfile);
        Assert.Contains("useradd --system --uid 10001", containerfile);
        Assert.Contains("USER nscr", containerfile);
        Assert.Contains("HEALTHCHECK ", containerfile);
        Assert.Contains("CMD [\"/usr/local/bin/nscr-healthcheck\"]", containerfile);
        Assert.Contains("ENTRYPOINT [\"/usr/local/bin/nscr-entrypoint\"]", containerfile);
        Assert.DoesNotMatch(@"(?m)^CMD ", containerfile);
        // Everything build.sh puts in the context is what the Containerfile copies.
        var build = File.ReadAllText(Path.Combine(container, "build.sh"));
        Assert.Contains("cp \"$HERE/Containerfile\" \"$HERE/nscr-entrypoint\" \"$HERE/nscr-healthcheck\" \"$context/\"", build);
        Assert.Contains("COPY nscr-entrypoint nscr-healthcheck /usr/local/bin/", containerfile);
        Assert.Contains("COPY publish/ /opt/nscr/", containerfile);
        Assert.Contains("localhost/nscr:latest", build);
        foreach (var project in new[] { "Gateway", "Silo" }) Assert.Contains(project, Regex.Match(build, @"for project in ([^;]+);").Value);
        foreach (var smoke in new[] { "smoke.sh", "smoke-cluster.sh" })
        {
            Assert.Contains("\"$HERE/build.sh\"", File.ReadAllText(Path.Combine(container, smoke)));
        }
    }

    [Fact]
    public void TheEntrypointRunsTheBinariesThePublishesProduceForEveryRole()
    {
        var entrypoint = File.ReadAllText(DeployFiles.Deploy("container", "nscr-entrypoint"));
        var gatewayProject = File.ReadAllText(Path.Combine(DeployFiles.RepositoryRoot, "src", "Gateway", "Gateway.csproj"));
        var siloProject = File.ReadAllText(Path.Combine(DeployFiles.RepositoryRoot, "src", "Silo", "Silo.csproj"));
        // The gateway's runtime-specific publish renames its executable nscr-server; the silo's keeps its assembly name.
        Assert.Contains("DestinationFiles=\"$(PublishDir)nscr-server\"", gatewayProject);
        Assert.Contains("<PublishSingleFile>true</PublishSingleFile>", siloProject);
        var silo = typeof(Nscr.Silo.Configuration.NscrClusterOptions).Assembly.GetName().Name;
        Assert.Matches(@"embedded\)\s+exec /opt/nscr/nscr-server ""\$@""", entrypoint);
        Assert.Matches(@"gateway \| node\)\s+cluster\s+export NSCR_ROLE=\$role\s+exec /opt/nscr/nscr-server ""\$@""", entrypoint);
        Assert.Matches(@"silo\)\s+cluster\s[^;]*?\s+exec /opt/nscr/" + Regex.Escape(silo!) + @" ""\$@""", entrypoint);
        Assert.Contains($"*/{silo}", File.ReadAllText(DeployFiles.Deploy("container", "nscr-healthcheck")));
        // The roles the entrypoint sets are the ones the settings accept.
        Assert.Contains($"{Nscr.Silo.Configuration.NscrClusterOptions.GatewayRole} | {Nscr.Silo.Configuration.NscrClusterOptions.NodeRole})", entrypoint);
    }
}
