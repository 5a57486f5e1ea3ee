using System.Net;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>
/// Issue 13's crash test: a SIGKILL between any two statements of a row transaction (or right after its commit) loses
/// nothing acknowledged and leaves no half write. Each test sweeps one kind of write over all its crash points
/// (<see cref="CrashSweep"/>).
/// </summary>
public sealed class CrashBetweenStatementsTests(ITestOutputHelper output)
{
    [Fact]
    public Task ManifestPutWithANewTag_IntoARepositoryWithContent() => SweepAsync("crash/put", (sweep, image, repository) => new InterruptedWrite(
        "manifest PUT with a new tag",
        _ => repository,
        (_, _) => Task.CompletedTask,
        (n, ct) => sweep.Client.PutManifestAsync(repository, $"t{n}", image.Manifest($"put-{n}"), ct),
        HttpStatusCode.Created,
        HttpStatusCode.Created,
        (rows, n) => ManifestIsWhole(rows, "the new tagged manifest", repository, $"t{n}", image.Manifest($"put-{n}")),
        async (n, ct) => Whole.Of("the new tagged manifest",
            ("served by tag", await image.ServesAsync(repository, $"t{n}", $"put-{n}", ct)),
            ("served by digest", await image.ServesAsync(repository, RegistryClient.DigestOf(image.Manifest($"put-{n}")), $"put-{n}", ct)))));

    [Fact]
    public Task FirstManifestPut_OfANewRepository() => SweepAsync(null, (sweep, image, _) => new InterruptedWrite(
        "first manifest PUT of a repository",
        NewRepository,
        (n, ct) => image.UploadBlobsAsync(NewRepository(n), ct),
        (n, ct) => sweep.Client.PutManifestAsync(NewRepository(n), "first", image.Manifest($"first-{n}"), ct),
        HttpStatusCode.Created,
        HttpStatusCode.Created,
        (rows, n) => ManifestIsWhole(rows, "the first manifest", NewRepository(n), "first", image.Manifest($"first-{n}"),
            ("its catalog row counts it", rows.Count("SELECT count(*) FROM nscr_repositories WHERE name = @r AND manifest_count = 1 AND tag_count = 1", ("@r", NewRepository(n))) == 1)),
        async (n, ct) => Whole.Of("the first manifest",
            ("served by tag", await image.ServesAsync(NewRepository(n), "first", $"first-{n}", ct)),
            ("its tag listed", (await TagsAsync(sweep.Client, NewRepository(n), ct)).Contains("first")))));

    [Fact]
    public Task TagDelete() => SweepAsync("crash/untag", (sweep, image, repository) => new InterruptedWrite(
        "tag delete",
        _ => repository,
        (n, ct) => image.PutAsync(repository, $"u{n}", $"untag-{n}", ct),
        (n, ct) => SendAsync(sweep.Client, HttpMethod.Delete, $"v2/{repository}/manifests/u{n}", ct),
        HttpStatusCode.Accepted,
        HttpStatusCode.NotFound,
        (rows, n) =>
        {
            Assert.Equal(1, rows.Count("SELECT count(*) FROM nscr_manifests WHERE repository = @r AND digest = @d", ("@r", repository), ("@d", RegistryClient.DigestOf(image.Manifest($"untag-{n}")))));
                return rows.Count("SELECT count(*) FROM nscr_tags WHERE repository = @r AND name = @t", ("@r", repository), ("@t", $"u{n}")) == 0;
            },
            async (n, ct) =>
            {
                Assert.True(await image.ServesAsync(repository, RegistryClient.DigestOf(image.Manifest($"untag-{n}")), $"untag-{n}", ct), "the untagged manifest went too");
                return !await image.ServesAsync(repository, $"u{n}", $"untag-{n}", ct);
            }));

    [Fact]
    public Task ManifestDelete() => SweepAsync("crash/delete", (sweep, image, repository) => new InterruptedWrite(
        "manifest delete",
        _ => repository,
        (n, ct) => image.PutAsync(repository, $"d{n}", $"delete-{n}", ct),
        (n, ct) => SendAsync(sweep.Client, HttpMethod.Delete, $"v2/{repository}/manifests/{Digest(image, n)}", ct),
        HttpStatusCode.Accepted,
        HttpStatusCode.NotFound,
        (rows, n) => !ManifestIsWhole(rows, "the deleted manifest", repository, $"d{n}", image.Manifest($"delete-{n}")),
        async (n, ct) => !Whole.Of("the deleted manifest",
            ("served by tag", await image.ServesAsync(repository, $"d{n}", $"delete-{n}", ct)),
            ("served by digest", await image.ServesAsync(repository, Digest(image, n), $"delete-{n}", ct)))));

    private static string NewRepository(int attempt) => $"crash/new-{attempt}";

    private static string Digest(TinyImage image, int attempt) => RegistryClient.DigestOf(image.Manifest($"delete-{attempt}"));

    /// <summary>
    /// Starts a registry with the crash hook, pushes the acknowledged image (and, into <paramref name="repository"/>,
    /// a first manifest: the write lands in a repository with content) and sweeps the write over its crash points.
    /// </summary>
    private Task SweepAsync(string? repository, Func<CrashSweep, TinyImage, string, InterruptedWrite> write) => TestScope.RunAsync(output, async scope =>
    {
        using var sweep = await CrashSweep.StartAsync(scope);
        if (repository is not null) await sweep.Image.PushAsync(repository, "a", "a", scope.CancellationToken);
        var points = await sweep.RunAsync(write(sweep, sweep.Image, repository ?? ""));
        Assert.True(points >= 2, $"every write here is a transaction of several statements, not {points} crash points");
    }, deadline: TimeSpan.FromMinutes(3));

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
