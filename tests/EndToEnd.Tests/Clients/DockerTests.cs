using System.Text.RegularExpressions;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Clients;

public sealed partial class DockerTests(ITestOutputHelper output)
{
    [Fact]
    public Task DockerPushThenPullByTagAndByDigest() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        var docker = await scope.StartDockerAsync();
        var storage = scope.NewStorage();
        var image = await Images.BuildAsync(storage, "localhost/e2e/docker-source:latest", ct);

        scope.Step("load the image into dockerd");
        var archive = Path.Combine(scope.NewTempDirectory("archive").Path, "image.tar");
        await Skopeo.RunAsync(ct, "copy", storage.SkopeoReference(image.Name), $"docker-archive:{archive}:e2e-local/docker:v1");
        await docker.DockerAsync(ct, "load", "--input", archive);

        scope.Step("docker push");
        var repository = $"{registry.HostPort}/e2e/docker";
        await docker.DockerAsync(ct, "tag", "e2e-local/docker:v1", repository + ":v1");
        var push = await docker.DockerAsync(ct, "push", repository + ":v1");
        var digest = PushedDigest().Match(push.StandardOutput) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"no digest in push output: {push}");

        using var client = new RegistryClient(registry.BaseAddress);
        var (_, manifest, served) = await client.GetManifestAsync("e2e/docker", "v1", ct);
        Assert.Equal(digest, served);
        Assert.Equal(digest, RegistryClient.DigestOf(manifest));

        scope.Step("docker pull by tag");
        await docker.DockerAsync(ct, "rmi", repository + ":v1", "e2e-local/docker:v1");
        await docker.DockerAsync(ct, "pull", repository + ":v1");
        Assert.Equal(image.Id, await ImageIdAsync(docker, repository + ":v1", ct));

        scope.Step("docker pull by digest");
        await docker.DockerAsync(ct, "rmi", repository + ":v1");
        await docker.DockerAsync(ct, "pull", $"{repository}@{digest}");
        Assert.Equal(image.Id, await ImageIdAsync(docker, $"{repository}@{digest}", ct));
    });

    private static async Task<string> ImageIdAsync(DockerDaemon docker, string reference, CancellationToken ct) =>
        (await docker.DockerAsync(ct, "image", "inspect", "--format", "{{.Id}}", reference)).StandardOutput.Trim();

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64}) size: \d+")]
    private static partial Regex PushedDigest();
}
