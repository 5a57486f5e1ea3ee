using System.Net;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>The writes the crash tests interrupt, each into <c>repository</c> (a repository with content) unless it makes its own.</summary>
internal static class CrashWrites
{
    public static InterruptedWrite ManifestPutWithANewTag(CrashSweep sweep, string repository) => new(
        "manifest PUT with a new tag",
        _ => repository,
        (_, _) => Task.CompletedTask,
        (n, ct) => sweep.Client.PutManifestAsync(repository, $"t{n}", sweep.Image.Manifest($"put-{n}"), ct),
        HttpStatusCode.Created,
        HttpStatusCode.Created,
        (rows, n) => ManifestIsWhole(rows, "the new tagged manifest", repository, $"t{n}", sweep.Image.Manifest($"put-{n}")),
        async (n, ct) => Whole.Of("the new tagged manifest",
            ("served by tag", await sweep.Image.ServesAsync(repository, $"t{n}", $"put-{n}", ct)),
            ("served by digest", await sweep.Image.ServesAsync(repository, RegistryClient.DigestOf(sweep.Image.Manifest($"put-{n}")), $"put-{n}", ct))));

    /// <summary>A manifest PUT that moves the tag <c>latest</c> from the manifest the attempt put there first to a new one.</summary>
    public static InterruptedWrite TagMove(CrashSweep sweep, string repository) => new(
        "manifest PUT moving a tag",
        _ => repository,
        (n, ct) => sweep.Image.PutAsync(repository, "latest", $"before-{n}", ct),
        (n, ct) => sweep.Client.PutManifestAsync(repository, "latest", sweep.Image.Manifest($"move-{n}"), ct),
        HttpStatusCode.Created,
        HttpStatusCode.Created,
        (rows, n) =>
        {
            var moved = ManifestIsWhole(rows, "the manifest the tag moves to", repository, "latest", sweep.Image.Manifest($"move-{n}"));
            Assert.True(moved || rows.Count("SELECT count(*) FROM nscr_tags WHERE repository = @r AND name = 'latest' AND manifest = @d",
                ("@r", repository), ("@d", RegistryClient.DigestOf(sweep.Image.Manifest($"before-{n}")))) == 1, "the tag is on neither manifest");
            return moved;
        },
        async (n, ct) =>
        {
            var (status, body, _) = await sweep.Client.GetManifestAsync(repository, "latest", ct);
            Assert.Equal(HttpStatusCode.OK, status);
            var moved = body.AsSpan().SequenceEqual(sweep.Image.Manifest($"move-{n}"));
            Assert.True(moved || body.AsSpan().SequenceEqual(sweep.Image.Manifest($"before-{n}")), "the tag serves neither manifest");
            return moved;
        });

    public static InterruptedWrite FirstManifestPut(CrashSweep sweep, string repository) => new(
        "first manifest PUT of a repository",
        NewRepository,
        (n, ct) => sweep.Image.UploadBlobsAsync(NewRepository(n), ct),
        (n, ct) => sweep.Client.PutManifestAsync(NewRepository(n), "first", sweep.Image.Manifest($"first-{n}"), ct),
        HttpStatusCode.Created,
        HttpStatusCode.Created,
        (rows, n) => ManifestIsWhole(rows, "the first manifest", NewRepository(n), "first", sweep.Image.Manifest($"first-{n}"),
            ("its catalog row counts it", rows.Count("SELECT count(*) FROM nscr_repositories WHERE name = @r AND manifest_count = 1 AND tag_count = 1", ("@r", NewRepository(n))) == 1)),
        async (n, ct) => Whole.Of("the first manifest",
            ("served by tag", await sweep.Image.ServesAsync(NewRepository(n), "first", $"first-{n}", ct)),
            ("its tag listed", (await TagsAsync(sweep.Client, NewRepository(n), ct)).Contains("first"))));

    /// <summary>Removes the tag u&lt;n&gt; the attempt pushed; the manifest stays.</summary>
    public static InterruptedWrite TagDelete(CrashSweep sweep, string repository) => Deletion(sweep, repository, "tag delete", "untag", n => $"u{n}",
        (rows, n) =>
        {
            Assert.Equal(1, rows.Count("SELECT count(*) FROM nscr_manifests WHERE repository = @r AND digest = @d", ("@r", repository), ("@d", Digest(sweep.Image, "untag", n))));
            return rows.Count("SELECT count(*) FROM nscr_tags WHERE repository = @r AND name = @t", ("@r", repository), ("@t", $"u{n}")) == 0;
        },
        async (n, ct) =>
        {
            Assert.True(await sweep.Image.ServesAsync(repository, Digest(sweep.Image, "untag", n), $"untag-{n}", ct), "the untagged manifest went too");
            return !await sweep.Image.ServesAsync(repository, $"u{n}", $"untag-{n}", ct);
        });

    /// <summary>Removes the manifest the attempt pushed at tag d&lt;n&gt;, by digest: its tag and references go with it.</summary>
    public static InterruptedWrite ManifestDelete(CrashSweep sweep, string repository) => Deletion(sweep, repository, "manifest delete", "delete", n => Digest(sweep.Image, "delete", n),
        (rows, n) => !ManifestIsWhole(rows, "the deleted manifest", repository, $"d{n}", sweep.Image.Manifest($"delete-{n}")),
        async (n, ct) => !Whole.Of("the deleted manifest",
            ("served by tag", await sweep.Image.ServesAsync(repository, $"d{n}", $"delete-{n}", ct)),
            ("served by digest", await sweep.Image.ServesAsync(repository, Digest(sweep.Image, "delete", n), $"delete-{n}", ct))));

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

    /// <summary>
    /// A DELETE of <paramref name="reference"/> after pushing the manifest <c>label-n</c> at the tag made of the
    /// label's first letter and n: 202, and 404 when retried once done.
    /// </summary>
    private static InterruptedWrite Deletion(
        CrashSweep sweep, string repository, string name, string label, Func<int, string> reference,
        Func<DeadRegistryRows, int, bool> doneInRows, Func<int, CancellationToken, Task<bool>> doneThroughApiAsync) => new(
        name,
        _ => repository,
        (n, ct) => sweep.Image.PutAsync(repository, $"{label[0]}{n}", $"{label}-{n}", ct),
        (n, ct) => SendAsync(sweep.Client, HttpMethod.Delete, $"v2/{repository}/manifests/{reference(n)}", ct),
        HttpStatusCode.Accepted,
        HttpStatusCode.NotFound,
        doneInRows,
        doneThroughApiAsync);

    private static string NewRepository(int attempt) => $"crash/new-{attempt}";

    private static string Digest(TinyImage image, string label, int attempt) => RegistryClient.DigestOf(image.Manifest($"{label}-{attempt}"));

    /// <summary>The manifest's row, its tag and its two blob references (and <paramref name="more"/>) are all there, or none.</summary>
    private static bool ManifestIsWhole(DeadRegistryRows rows, string write, string repository, string tag, byte[] manifest, params (string, bool)[] more)
    {
        var digest = RegistryClient.DigestOf(manifest);
        return Whole.Of(write, [
            ("its row", rows.Count("SELECT count(*) FROM nscr_manifests WHERE repository = @r AND digest = @d", ("@r", repository), ("@d", digest)) == 1),
            ($"tag {tag} on it", rows.Count("SELECT count(*) FROM nscr_tags WHERE repository = @r AND name = @t AND manifest = @d", ("@r", repository), ("@t", tag), ("@d", digest)) == 1),
            ("its 2 blob references", rows.Count("SELECT count(*) FROM nscr_manifest_blobs WHERE repository = @r AND manifest = @d", ("@r", repository), ("@d", digest)) == 2),
            .. more]);
    }

    private static async Task<HttpResponseMessage> SendAsync(RegistryClient client, HttpMethod method, string path, CancellationToken ct) =>
        await client.SendAsync(new HttpRequestMessage(method, path), ct);

    /// <summary>The repository's tags; none when it is unknown.</summary>
    private static async Task<IReadOnlyList<string>> TagsAsync(RegistryClient client, string repository, CancellationToken ct)
    {
        using var response = await SendAsync(client, HttpMethod.Get, $"v2/{repository}/tags/list", ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        return await client.ListTagsAsync(repository, ct);
    }
}
