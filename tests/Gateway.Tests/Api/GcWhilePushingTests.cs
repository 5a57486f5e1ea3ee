using System.Net;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Api;

/// <summary>Cycles with no grace run continuously while images are pushed: no acknowledged image loses a byte.</summary>
public sealed class GcWhilePushingTests
{
    [Fact]
    public async Task Pushes_racing_continuous_cycles_either_succeed_whole_or_fail_cleanly()
    {
        await using var scope = await GcRegistryScope.StartAsync();
        var client = scope.Registry.Client;
        using var stop = new CancellationTokenSource();
        var cycles = 0;
        var collector = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var report = await client.RunGcAsync();
                Assert.Empty(report["errors"]!.AsArray());
                cycles++;
                // Back-to-back cycles with no grace would collect every push's blobs before its manifest arrives
                // (each one uploaded before the cycle started and referenced by nothing yet): leave pushes a window.
                await Task.Delay(50);
            }
        });

        var pushed = await Task.WhenAll(Enumerable.Range(0, 3).Select(worker => PushSomeAsync(client, worker)));
        stop.Cancel();
        await collector;

        var images = pushed.SelectMany(p => p).ToArray();
        Assert.True(cycles >= 2, $"only {cycles} cycles ran during the pushes");
        Assert.Equal(24, images.Length);
        foreach (var (repository, image) in images)
        {
            using var manifest = await client.GetAsync($"/v2/{repository}/manifests/{image.Digest}");
            await OciAssert.StatusAsync(HttpStatusCode.OK, manifest);
            foreach (var blob in image.Layers.Append(image.Config)) await client.AssertBlobAsync(repository, blob);
        }
    }

    /// <summary>
    /// Pushes tagged images sharing a base layer. With no grace, a cycle that starts between a blob's upload and the
    /// manifest PUT deletes the blob: the PUT must then fail with MANIFEST_BLOB_UNKNOWN, and a retry that uploads the
    /// blobs again must get through eventually.
    /// </summary>
    private static async Task<List<(string, PushedImage)>> PushSomeAsync(RegistryClient client, int worker)
    {
        var repository = TestContent.Repository($"gc-race-{worker}");
        var pushed = new List<(string, PushedImage)>();
        var baseBytes = TestContent.RandomBytes(1500);
        for (var i = 0; i < 8; i++)
        {
            var configBytes = TestContent.Utf8($"{{\"worker\":{worker},\"i\":{i},\"n\":\"{Guid.NewGuid()}\"}}");
            var ownBytes = TestContent.RandomBytes(600);
            for (var attempt = 1; ; attempt++)
            {
                var baseLayer = await client.PushBlobAsync(repository, baseBytes);
                var config = await client.PushBlobAsync(repository, configBytes, ManifestBuilder.OciConfigType);
                var own = await client.PushBlobAsync(repository, ownBytes);
                var body = ManifestBuilder.Bytes(ManifestBuilder.Image(config, [baseLayer, own]));
                using var response = await client.PutManifestAsync(repository, $"v{i}", body, MediaTypes.OciManifest);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    pushed.Add((repository, new PushedImage(new PushedManifest(repository, Digest.Compute(body), body, MediaTypes.OciManifest), config, [baseLayer, own])));
                    break;
                }
                await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
                Assert.True(attempt < 100, $"worker {worker} image {i} lost the race {attempt} times");
            }
        }
        return pushed;
    }
}
