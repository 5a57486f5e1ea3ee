using System.Net;
using System.Text.Json;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Clients;

public sealed class SkopeoTests(ITestOutputHelper output)
{
    [Fact]
    public Task CopyInspectListTagsAndDeleteRoundTrip() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        var storage = scope.NewStorage();
        var layouts = scope.NewTempDirectory("oci");
        var image = await Images.BuildAsync(storage, "localhost/e2e/skopeo-source:latest", ct);
        var source = await Images.ExportAsync(storage, image, layouts.Combine("source"), "v1", ct);
        var remote = $"docker://{registry.HostPort}/e2e/skopeo";

        scope.Step("skopeo copy to the registry (v1 and v2)");
        await Skopeo.PushAsync(source.ReferenceFor("v1"), remote + ":v1", ct);
        await Skopeo.PushAsync(source.ReferenceFor("v1"), remote + ":v2", ct);

        scope.Step("skopeo copy back to a new layout");
        var pulled = new OciLayout(layouts.Combine("pulled"));
        await Skopeo.PullAsync(remote + ":v1", pulled.ReferenceFor("v1"), ct);
        Assert.Equal(source.ManifestDigest("v1"), pulled.ManifestDigest("v1"));
        Expect.SameBlobs(source, pulled);

        scope.Step("skopeo inspect and list-tags");
        var inspect = await Skopeo.RunAsync(ct, "inspect", "--tls-verify=false", remote + ":v1");
        using (var json = JsonDocument.Parse(inspect.StandardOutput))
        {
            Assert.Equal(source.ManifestDigest("v1"), json.RootElement.GetProperty("Digest").GetString());
            Assert.Equal("amd64", json.RootElement.GetProperty("Architecture").GetString());
        }
        var tags = await Skopeo.RunAsync(ct, "list-tags", "--tls-verify=false", remote);
        using (var json = JsonDocument.Parse(tags.StandardOutput))
        {
            var listed = json.RootElement.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()).Order();
            Assert.Equal(["v1", "v2"], listed);
        }

        scope.Step("skopeo delete (by digest: both tags go)");
        await Skopeo.RunAsync(ct, "delete", "--tls-verify=false", remote + ":v1");
        using var client = new RegistryClient(registry.BaseAddress);
        foreach (var reference in new[] { "v1", "v2", source.ManifestDigest("v1") })
        {
            var (status, body, _) = await client.GetManifestAsync("e2e/skopeo", reference, ct);
            Assert.True(status == HttpStatusCode.NotFound, $"{reference}: {(int)status} after delete");
            Assert.Contains("MANIFEST_UNKNOWN", System.Text.Encoding.UTF8.GetString(body));
        }
        var gone = await Tool.RunAsync("skopeo", ["inspect", "--tls-verify=false", remote + ":v1"], ct);
        Assert.True(gone.ExitCode != 0, $"inspect after delete should fail: {gone}");
        Assert.Contains("manifest unknown", gone.StandardError);
    });
}
