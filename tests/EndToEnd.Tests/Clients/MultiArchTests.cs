using System.Text.Json;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Clients;

public sealed class MultiArchTests(ITestOutputHelper output)
{
    [Fact]
    public Task ManifestListPushedWithPodmanPullsEachPlatform() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        var builder = scope.NewStorage();
        var amd64 = await Images.BuildAsync(builder, "localhost/e2e/multi-amd64:latest", ct, "amd64");
        var arm64 = await Images.BuildAsync(builder, "localhost/e2e/multi-arm64:latest", ct, "arm64");
        const string list = "localhost/e2e/multi-list:latest";
        var remote = $"{registry.HostPort}/e2e/multi:v1";

        scope.Step("podman manifest create/add/push --all");
        await builder.PodmanAsync(ct, "manifest", "create", list);
        await builder.PodmanAsync(ct, "manifest", "add", list, builder.SkopeoReference(amd64.Name));
        await builder.PodmanAsync(ct, "manifest", "add", list, builder.SkopeoReference(arm64.Name));
        await builder.PodmanAsync(ct, "manifest", "push", "--all", "--tls-verify=false", list, "docker://" + remote);

        using var client = new RegistryClient(registry.BaseAddress);
        var (_, body, _) = await client.GetManifestAsync("e2e/multi", "v1", ct);
        using (var index = JsonDocument.Parse(body))
        {
            var architectures = index.RootElement.GetProperty("manifests").EnumerateArray()
                .Select(m => m.GetProperty("platform").GetProperty("architecture").GetString()).Order();
            Assert.Equal(["amd64", "arm64"], architectures);
        }

        var puller = scope.NewStorage();
        foreach (var image in new[] { amd64, arm64 })
        {
            scope.Step($"podman pull --arch={image.Architecture}");
            var pull = await puller.PodmanAsync(ct, "pull", "--quiet", "--tls-verify=false",
                $"--arch={image.Architecture}", remote);
            var id = pull.StandardOutput.Trim();
            Assert.Equal(image.Id, "sha256:" + id);
            var inspect = await puller.PodmanAsync(ct, "image", "inspect", "--format", "{{.Architecture}}", id);
            Assert.Equal(image.Architecture, inspect.StandardOutput.Trim());
        }
    });
}
