using System.Net;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>The writes of the blobs' rows the crash tests interrupt.</summary>
internal static partial class CrashWrites
{
    /// <summary>A monolithic blob upload (POST, then PUT with the bytes) of a blob new to the registry.</summary>
    public static InterruptedWrite BlobUpload(CrashSweep sweep, string repository) => new(
        "blob upload commit",
        _ => repository,
        (_, _) => Task.CompletedTask,
        async (n, ct) =>
        {
            var location = await sweep.Client.StartUploadAsync(repository, ct);
            var put = new HttpRequestMessage(HttpMethod.Put, RegistryClient.WithDigest(location, RegistryClient.DigestOf(NewBlob(sweep, "upload", n))))
            {
                Content = new ByteArrayContent(NewBlob(sweep, "upload", n)),
            };
            put.Content.Headers.ContentType = new("application/octet-stream");
            return await sweep.Client.SendAsync(put, ct);
        },
        HttpStatusCode.Created,
        HttpStatusCode.Created,
        (rows, n) => BlobIsWhole(rows, "the uploaded blob", repository, RegistryClient.DigestOf(NewBlob(sweep, "upload", n))),
        (n, ct) => ServesBlobAsync(sweep, repository, NewBlob(sweep, "upload", n), ct));

    /// <summary>A cross-repository mount (POST ...?mount=&amp;from=) of a blob the attempt uploaded to another repository.</summary>
    public static InterruptedWrite Mount(CrashSweep sweep, string repository) => new(
        "cross-repository mount",
        _ => repository,
        async (n, ct) => await sweep.Client.UploadBlobAsync(MountSource, NewBlob(sweep, "mount", n), ct),
        (n, ct) => SendAsync(sweep.Client, HttpMethod.Post,
            $"v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(RegistryClient.DigestOf(NewBlob(sweep, "mount", n)))}&from={MountSource}", ct),
        HttpStatusCode.Created,
        HttpStatusCode.Created,
        (rows, n) =>
        {
            var digest = RegistryClient.DigestOf(NewBlob(sweep, "mount", n));
            Assert.Equal(1, rows.Count("SELECT count(*) FROM nscr_blob_links WHERE digest = @d AND repository = @r", ("@d", digest), ("@r", MountSource)));
            return IsLinked(rows, digest, repository);
        },
        (n, ct) => ServesBlobAsync(sweep, repository, NewBlob(sweep, "mount", n), ct));

    /// <summary>
    /// A GC cycle (grace 0) after the attempt pushed a manifest on a layer of its own and deleted it: many transactions,
    /// one per blob it collects, so it is done once both blobs are gone; each blob goes whole (row and links) or not.
    /// </summary>
    public static InterruptedWrite GcCycle(CrashSweep sweep, string repository) => new(
        "GC cycle",
        _ => repository,
        async (n, ct) =>
        {
            await sweep.Client.UploadBlobAsync(repository, NewBlob(sweep, "gc", n), ct);
            await sweep.Image.PutAsync(repository, $"g{n}", $"gc-{n}", ct, NewBlob(sweep, "gc", n));
            using var delete = await SendAsync(sweep.Client, HttpMethod.Delete, $"v2/{repository}/manifests/{RegistryClient.DigestOf(sweep.Image.Manifest($"gc-{n}", NewBlob(sweep, "gc", n)))}", ct);
            await RegistryClient.ExpectAsync(delete, HttpStatusCode.Accepted);
        },
        (_, ct) => SendAsync(sweep.Client, HttpMethod.Post, "api/gc?wait=true", ct),
        HttpStatusCode.OK,
        HttpStatusCode.OK,
        (rows, n) => GarbageOf(sweep, n).All(blob => !BlobIsWhole(rows, "a collected blob", repository, RegistryClient.DigestOf(blob))),
        async (n, ct) =>
        {
            var served = 0;
            foreach (var blob in GarbageOf(sweep, n)) served += await ServesBlobAsync(sweep, repository, blob, ct) ? 1 : 0;
            return served == 0;
        });

    /// <summary>What attempt <paramref name="attempt"/> of the GC sweep leaves to collect: the deleted manifest's bytes and its layer.</summary>
    private static byte[][] GarbageOf(CrashSweep sweep, int attempt) =>
        [sweep.Image.Manifest($"gc-{attempt}", NewBlob(sweep, "gc", attempt)), NewBlob(sweep, "gc", attempt)];

    private const string MountSource = "crash/mount-source";

    /// <summary>Bytes of attempt <paramref name="attempt"/> no other attempt or test uploads (the image's random layer after a label).</summary>
    private static byte[] NewBlob(CrashSweep sweep, string label, int attempt) => [.. System.Text.Encoding.UTF8.GetBytes($"{label} {attempt} "), .. sweep.Image.Layer];

    private static bool BlobIsWhole(DeadRegistryRows rows, string write, string repository, string digest) => Whole.Of(write,
        ("its row", rows.Count("SELECT count(*) FROM nscr_blobs WHERE digest = @d", ("@d", digest)) == 1),
        ($"its link to {repository}", IsLinked(rows, digest, repository)));

    private static bool IsLinked(DeadRegistryRows rows, string digest, string repository) =>
        rows.Count("SELECT count(*) FROM nscr_blob_links WHERE digest = @d AND repository = @r", ("@d", digest), ("@r", repository)) == 1;

    /// <summary>Whether the repository serves the blob bit-identical (true) or not at all (false).</summary>
    private static async Task<bool> ServesBlobAsync(CrashSweep sweep, string repository, byte[] blob, CancellationToken ct)
    {
        using var get = await SendAsync(sweep.Client, HttpMethod.Get, $"v2/{repository}/blobs/{RegistryClient.DigestOf(blob)}", ct);
        if (get.StatusCode == HttpStatusCode.NotFound) return false;
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.True((await get.Content.ReadAsByteArrayAsync(ct)).AsSpan().SequenceEqual(blob), $"{repository} serves other bytes");
        return true;
    }
}
