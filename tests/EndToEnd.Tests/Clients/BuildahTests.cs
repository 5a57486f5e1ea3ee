using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Clients;

public sealed class BuildahTests(ITestOutputHelper output)
{
    [Fact]
    public Task PushThenPullGivesTheSameImageAndFiles() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        var builder = scope.NewStorage();
        var image = await Images.BuildAsync(builder, "localhost/e2e/buildah-source:latest", ct);
        var remote = $"docker://{registry.HostPort}/e2e/buildah:v1";
        var digestFile = Path.Combine(scope.NewTempDirectory("digest").Path, "digest");

        scope.Step("buildah push");
        await builder.BuildahAsync(ct, "push", "--tls-verify=false", "--digestfile", digestFile, image.Name, remote);
        var pushedDigest = (await File.ReadAllTextAsync(digestFile, ct)).Trim();

        scope.Step("buildah pull into an empty storage");
        var puller = scope.NewStorage();
        var pull = await puller.BuildahAsync(ct, "pull", "--quiet", "--tls-verify=false", remote);
        Assert.Equal(image.Id, "sha256:" + pull.StandardOutput.Trim());
        var images = await puller.BuildahAsync(ct, "images", "--no-trunc", "--digests", "--format", "{{.ID}} {{.Digest}}");
        var listed = images.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal([image.Id, pushedDigest], listed);

        scope.Step("the pulled image's files are the ones built");
        var container = (await puller.BuildahAsync(ct, "from", "--quiet", "--pull-never", remote.Replace("docker://", "")))
            .StandardOutput.Trim();
        var mountPoint = (await puller.BuildahAsync(ct, "mount", container)).StandardOutput.Trim();
        var unique = await File.ReadAllBytesAsync(Path.Combine(mountPoint, Images.UniqueFilePath), ct);
        Assert.True(unique.AsSpan().SequenceEqual(image.UniqueContent), "unique file differs after push and pull");
        Assert.True(File.Exists(Path.Combine(mountPoint, "bin", "busybox")));
        await puller.BuildahAsync(ct, "rm", container);
    });
}
