using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Nscr.Deploy.Tests;

/// <summary>deploy/compose: valid for docker-compose, and wired like the cluster contract says.</summary>
public sealed class ComposeTests
{
    private static readonly string ComposeFile = DeployFiles.Deploy("compose", "compose.yaml");

    [Fact]
    public void ComposeRunsPostgresThreeSilosTwoGatewaysAndNginxOnOneSharedVolume()
    {
        // `config` validates the file and prints it with anchors, merges and defaults resolved.
        var (exitCode, output) = DeployFiles.Run(DeployFiles.Require("docker-compose"), "-f", ComposeFile, "config");
        Assert.True(exitCode == 0, output);
        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        var services = (YamlMappingNode)DeployFiles.Node(stream.Documents[0].RootNode, "services")!;
        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Order().ToList();
        Assert.Equal(["gateway1", "gateway2", "nginx", "postgres", "silo1", "silo2", "silo3"], names);

        foreach (var name in names.Where(n => n.StartsWith("silo") || n.StartsWith("gateway")))
        {
            var service = services.Children[new YamlScalarNode(name)];
            var role = name.StartsWith("silo") ? "silo" : "gateway";
            Assert.Equal(role, ((YamlSequenceNode)DeployFiles.Node(service, "command")!).Children.Single().ToString());
            Assert.Equal("localhost/nscr:latest", DeployFiles.Scalar(service, "image"));
            Assert.StartsWith("Host=postgres;", DeployFiles.Scalar(service, "environment", "NSCR_POSTGRES"));
            var dataDir = DeployFiles.Scalar(service, "environment", "NSCR_DATA_DIR");
            var volumes = ((YamlSequenceNode)DeployFiles.Node(service, "volumes")!).Children.Select(v => v.ToString()).ToList();
            Assert.True(volumes.Any(v => v.StartsWith($"blobs:{dataDir}")) ||
                        ((YamlSequenceNode)DeployFiles.Node(service, "volumes")!).Children.Any(v =>
                            DeployFiles.Scalar(v, "source") == "blobs" && DeployFiles.Scalar(v, "target") == dataDir),
                $"{name} does not mount the shared volume at {dataDir}: {string.Join(", ", volumes)}");
            if (role == "gateway")
            {
                Assert.Equal("gateway", DeployFiles.Scalar(service, "environment", "NSCR_ROLE"));
            }
        }
    }

    [Fact]
    public void NginxBalancesBothGatewaysOnTheirPortAndStreamsBodies()
    {
        var config = File.ReadAllText(DeployFiles.Deploy("compose", "nginx.conf"));
        var gatewayPort = DeployFiles.Documents(ComposeFile).Select(d => DeployFiles.Scalar(d, "x-gateway", "environment", "NSCR_PORT")).Single();
        Assert.Equal(["gateway1:" + gatewayPort, "gateway2:" + gatewayPort],
            Regex.Matches(config, @"server (\S+) ").Select(m => m.Groups[1].Value).Order());
        foreach (var directive in new[] { "client_max_body_size 0;", "proxy_request_buffering off;", "proxy_buffering off;",
                     "proxy_http_version 1.1;", "proxy_set_header Host $http_host;" })
        {
            Assert.Contains(directive, config);
        }

        // nginx -t resolves upstream host names: check a copy whose gateways are on loopback.
        using var copy = new TemporaryFile(config.Replace("gateway1:", "127.0.0.1:").Replace("gateway2:", "127.0.0.2:")
            .Replace("listen 80;", "listen 127.0.0.1:1;"));
        var (exitCode, output) = DeployFiles.Run(DeployFiles.Require("nginx"), "-t", "-q", "-c", copy.Path, "-g", $"pid {copy.Path}.pid; error_log stderr;");
        Assert.True(exitCode == 0, output);
    }
}

/// <summary>A file with the given content, deleted on dispose.</summary>
public sealed class TemporaryFile : IDisposable
{
    public TemporaryFile(string content)
    {
        Path = System.IO.Path.GetTempFileName();
        File.WriteAllText(Path, content);
    }

    public string Path { get; }

    public void Dispose()
    {
        File.Delete(Path);
        File.Delete(Path + ".pid");
    }
}
