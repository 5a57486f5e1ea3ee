using System.Net;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>
/// The writes the crash tests interrupt, each into <c>repository</c> (a repository with content) unless it makes its
/// own: here those of a repository's rows, in CrashWrites.Blobs.cs those of the blobs'.
/// </summary>
internal static partial class CrashWrites
{
    /// <summary>A manifest PUT of a new manifest at a new tag t&lt;n&gt;.</summary>
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

    /// <summary>The first manifest PUT of repository crash/new-&lt;n&gt; (its blobs uploaded first): it lists the repository, then writes.</summary>
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
