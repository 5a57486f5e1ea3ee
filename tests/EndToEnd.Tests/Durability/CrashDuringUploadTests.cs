using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Durability;

public sealed class CrashDuringUploadTests(ITestOutputHelper output)
{
    private const int BlobBytes = 200 * 1024 * 1024;
    private const int KillAfterBytes = 64 * 1024 * 1024;
    private const string UploadRepository = "e2e/crash-upload";

    [Fact]
    public Task KillDuringALargeUploadLosesNothingAcknowledgedAndServesNoHalfBlob() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        var storage = scope.NewStorage();
        var layouts = scope.NewTempDirectory("oci");
        var image = await Images.BuildAsync(storage, "localhost/e2e/crash-base:latest", ct);
        var source = await Images.ExportAsync(storage, image, layouts.Combine("source"), "v1", ct);
        var remote = $"docker://{registry.HostPort}/e2e/crash-base";
        await Skopeo.PushAsync(source.ReferenceFor("v1"), remote + ":v1", ct);

        var data = Images.RandomBytes(BlobBytes);
        var digest = RegistryClient.DigestOf(data);
        using var client = new RegistryClient(registry.BaseAddress);
        var location = await client.StartUploadAsync(UploadRepository, ct);

        scope.Step($"streaming {BlobBytes >> 20} MiB, killing after {KillAfterBytes >> 20} MiB");
        using var body = new PausingContent(data, KillAfterBytes);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = body };
        var upload = client.SendAsync(patch, ct);
        if (await Task.WhenAny(body.Paused, upload).WaitAsync(ct) == upload)
        {
            using var early = await upload;
            Assert.Fail($"PATCH answered {(int)early.StatusCode} before the kill: {await early.Content.ReadAsStringAsync(ct)}");
        }
        await body.Paused;
        registry.Kill();
        body.Resume();
        var interrupted = await Record.ExceptionAsync(async () => (await upload).Dispose());
        Assert.True(interrupted is not null, "the PATCH completed although the registry was killed during it");

        scope.Step("restart after the crash");
        await registry.RestartAsync(ct);
        using (var head = await client.HeadBlobAsync(UploadRepository, digest, ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        scope.Step("the acknowledged image still pulls back intact");
        var pulled = new OciLayout(layouts.Combine("pulled"));
        await Skopeo.PullAsync(remote + ":v1", pulled.ReferenceFor("v1"), ct);
        Assert.Equal(source.ManifestDigest("v1"), pulled.ManifestDigest("v1"));
        Expect.SameBlobs(source, pulled);

        scope.Step("the interrupted session resumes or is cleanly unknown");
        using var status = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, location), ct);
        if (status.StatusCode == HttpStatusCode.NotFound)
        {
            Assert.Equal("BLOB_UPLOAD_UNKNOWN", await RegistryClient.ErrorCodeAsync(status));
            scope.Step("session rejected with BLOB_UPLOAD_UNKNOWN");
            return;
        }
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        var received = ReceivedBytes(status);
        Assert.InRange(received, 0, KillAfterBytes);
        scope.Step($"session resumes at byte {received}");
        await FinishUploadAsync(client, client.LocationOf(status), data, received, digest, ct);

        using var finished = await client.HeadBlobAsync(UploadRepository, digest, ct);
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.Equal(BlobBytes, finished.Content.Headers.ContentLength);
        using var get = await client.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, $"v2/{UploadRepository}/blobs/{digest}"), ct);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var served = await SHA256.HashDataAsync(await get.Content.ReadAsStreamAsync(ct), ct);
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(served));
    }, deadline: TimeSpan.FromMinutes(4));

    /// <summary>Range: 0-&lt;last byte&gt;; "0-0" is taken as nothing received (Distribution's convention).</summary>
    private static long ReceivedBytes(HttpResponseMessage status)
    {
        if (!status.Headers.TryGetValues("Range", out var values))
        {
            return 0;
        }
        var range = values.Single();
        var end = long.Parse(range[(range.IndexOf('-') + 1)..]);
        return end == 0 ? 0 : end + 1;
    }

    private static async Task FinishUploadAsync(
        RegistryClient client, Uri location, byte[] data, long offset, string digest, CancellationToken ct)
    {
        using var rest = new HttpRequestMessage(HttpMethod.Patch, location)
        {
            Content = new ReadOnlyMemoryContent(data.AsMemory((int)offset)),
        };
        rest.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        rest.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{data.Length - 1}");
        using var patched = await client.SendAsync(rest, ct);
        await RegistryClient.ExpectAsync(patched, HttpStatusCode.Accepted);

        using var put = new HttpRequestMessage(HttpMethod.Put, RegistryClient.WithDigest(client.LocationOf(patched), digest));
        using var committed = await client.SendAsync(put, ct);
        await RegistryClient.ExpectAsync(committed, HttpStatusCode.Created);
    }
}
