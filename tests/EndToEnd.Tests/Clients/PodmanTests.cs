using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Clients;

public sealed class PodmanTests(ITestOutputHelper output)
{
    [Fact]
    public Task PushThenPullIntoEmptyStorageGivesTheSameImage() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        var builder = scope.NewStorage();
        var image = await Images.BuildAsync(builder, "localhost/e2e/podman-source:latest", ct);
        var remote = $"{registry.HostPort}/e2e/podman:v1";
        var digestFile = Path.Combine(scope.NewTempDirectory("digest").Path, "digest");

        scope.Step("podman push");
        await builder.PodmanAsync(ct, "push", "--tls-verify=false", "--digestfile", digestFile, image.Name, remote);
        var pushedDigest = (await File.ReadAllTextAsync(digestFile, ct)).Trim();
        Assert.StartsWith("sha256:", pushedDigest);

        scope.Step("podman pull into an empty storage");
        var puller = scope.NewStorage();
        var pull = await puller.PodmanAsync(ct, "pull", "--quiet", "--tls-verify=false", remote);
        Assert.Equal(image.Id, "sha256:" + pull.StandardOutput.Trim());
        var inspect = await puller.PodmanAsync(ct, "image", "inspect", "--format", "{{.Id}} {{.Digest}}", remote);
        Assert.Equal($"{image.Id.Replace("sha256:", "")} {pushedDigest}", inspect.StandardOutput.Trim());

        using var client = new RegistryClient(registry.BaseAddress);
        var (_, manifest, served) = await client.GetManifestAsync("e2e/podman", "v1", ct);
        Assert.Equal(pushedDigest, served);
        Assert.Equal(pushedDigest, RegistryClient.DigestOf(manifest));
    });
}
