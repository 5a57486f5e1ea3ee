using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Durability;

public sealed class PersistenceTests(ITestOutputHelper output)
{
    [Fact]
    public Task ImagePushedBeforeAGracefulRestartPullsBackIdentical() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        var storage = scope.NewStorage();
        var layouts = scope.NewTempDirectory("oci");
        var image = await Images.BuildAsync(storage, "localhost/e2e/persist-source:latest", ct);
        var source = await Images.ExportAsync(storage, image, layouts.Combine("source"), "v1", ct);
        var remote = $"docker://{registry.HostPort}/e2e/persist";

        scope.Step("push, then stop and start the registry on the same data dir");
        await Skopeo.PushAsync(source.ReferenceFor("v1"), remote + ":v1", ct);
        await registry.StopAsync();
        await registry.RestartAsync(ct);

        scope.Step("pull back");
        var pulled = new OciLayout(layouts.Combine("pulled"));
        await Skopeo.PullAsync(remote + ":v1", pulled.ReferenceFor("v1"), ct);
        Assert.Equal(source.ManifestDigest("v1"), pulled.ManifestDigest("v1"));
        Expect.SameBlobs(source, pulled);
        using var client = new RegistryClient(registry.BaseAddress);
        Assert.Equal(["v1"], await client.ListTagsAsync("e2e/persist", ct));
    });
}
