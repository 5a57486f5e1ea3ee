using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Durability;

public sealed class CrashDuringManifestPutTests(ITestOutputHelper output)
{
    private const string Repository = "e2e/crash-manifests";
    private const int KillAfterAcknowledged = 20;

    [Fact]
    public Task KillDuringManifestPutsKeepsEveryAcknowledgedManifest() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        using var client = new RegistryClient(registry.BaseAddress);
        var layer = Images.RandomBytes(256 * 1024);
        var layerDigest = await client.UploadBlobAsync(Repository, layer, ct);
        var config = Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["{{{layerDigest}}}"]}}""");
        var configDigest = await client.UploadBlobAsync(Repository, config, ct);
        byte[] ManifestNumber(int sequence) => Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{RegistryClient.OciManifest}}}",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":{{{config.Length}}}},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{{layerDigest}}}","size":{{{layer.Length}}}}],
             "annotations":{"e2e.sequence":"{{{sequence}}}"}}
            """);

        scope.Step("firing manifest PUTs; killing the registry in the middle");
        var acknowledged = new ConcurrentDictionary<int, byte[]>();
        var enoughAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempted = 0;
        var puts = Task.Run(async () =>
        {
            for (var sequence = 0; ; sequence++)
            {
                var manifest = ManifestNumber(sequence);
                attempted = sequence + 1;
                HttpResponseMessage response;
                try
                {
                    response = await client.PutManifestAsync(Repository, $"t{sequence}", manifest, ct);
                }
                catch (HttpRequestException)
                {
                    return; // The registry died under this PUT (or before it).
                }
                using (response)
                {
                    await RegistryClient.ExpectAsync(response, HttpStatusCode.Created);
                }
                acknowledged[sequence] = manifest;
                if (acknowledged.Count >= KillAfterAcknowledged)
                {
                    enoughAcknowledged.TrySetResult();
                }
            }
        }, ct);
        await Task.WhenAny(enoughAcknowledged.Task, puts).Unwrap().WaitAsync(ct);
        Assert.True(enoughAcknowledged.Task.IsCompleted, "the PUT loop ended before the kill");
        registry.Kill();
        await puts.WaitAsync(ct);
        scope.Step($"{acknowledged.Count} of {attempted} PUTs acknowledged before the kill");

        await registry.RestartAsync(ct);
        foreach (var (sequence, manifest) in acknowledged)
        {
            var digest = RegistryClient.DigestOf(manifest);
            foreach (var reference in new[] { $"t{sequence}", digest })
            {
                var (status, body, served) = await client.GetManifestAsync(Repository, reference, ct);
                Assert.True(status == HttpStatusCode.OK, $"acknowledged manifest {reference}: {(int)status}");
                Assert.True(body.AsSpan().SequenceEqual(manifest), $"acknowledged manifest {reference} changed");
                Assert.Equal(digest, served);
            }
        }

        scope.Step("nothing else served is corrupt");
        foreach (var tag in await client.ListTagsAsync(Repository, ct))
        {
            var sequence = int.Parse(tag.TrimStart('t'));
            Assert.InRange(sequence, 0, attempted - 1);
            var (status, body, served) = await client.GetManifestAsync(Repository, tag, ct);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(body.AsSpan().SequenceEqual(ManifestNumber(sequence)), $"tag {tag} serves other bytes");
            Assert.Equal(RegistryClient.DigestOf(body), served);
        }
        foreach (var blob in new[] { layerDigest, configDigest })
        {
            using var head = await client.HeadBlobAsync(Repository, blob, ct);
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }
    });
}
