using Nscr.Grains;
using Nscr.Metadata;
using Nscr.Oci;

namespace Nscr.Silo.Tests.Metadata;

/// <summary>What the repository rows must do in both databases.</summary>
public abstract class RepositoryRowsContract(IRowsDatabases databases)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_put_stores_the_manifest_its_references_its_tag_and_the_repository_counts()
    {
        var (repositories, catalog) = await StoresAsync();
        var manifest = Image("app-1", blobs: 2);

        var put = await repositories.PutManifestAsync("team/app", manifest, ["v1"], T0, default);

        Assert.True(put.NewManifest);
        var found = await repositories.FindTaggedAsync("team/app", "v1", default);
        Assert.NotNull(found);
        Assert.Equal(manifest.Digest, found.Digest);
        Assert.Equal(manifest.MediaType, found.MediaType);
        Assert.Equal(manifest.Size, found.Size);
        Assert.Equal(manifest.Blobs.Select(b => b.ToString()).Order(StringComparer.Ordinal), found.Blobs.Select(b => b.ToString()));
        Assert.Equal(T0, found.PushedAt);
        var row = await repositories.GetAsync("team/app", default);
        Assert.Equal((1, 1, T0), (row!.Tags, row.Manifests, row.LastPushedAt));
        Assert.Equal(["team/app"], await catalog.ListNamesAsync(null, 10, default));
        Assert.Null(await repositories.FindTaggedAsync("team/app", "v2", default));
        Assert.Null(await repositories.FindTaggedAsync("team/other", "v1", default));
    }

    [Fact]
    public async Task Pushing_the_same_manifest_again_keeps_its_first_push_and_moves_tags_without_counting_them_twice()
    {
        var (repositories, _) = await StoresAsync();
        var first = Image("a", blobs: 1);
        var second = Image("b", blobs: 1);
        await repositories.PutManifestAsync("r", first, ["latest", "v1"], T0, default);

        var again = await repositories.PutManifestAsync("r", first, ["v1"], T0.AddHours(1), default);
        await repositories.PutManifestAsync("r", second, ["latest"], T0.AddHours(2), default);

        Assert.False(again.NewManifest);
        Assert.Equal(T0, again.PushedAt);
        var stored = await repositories.FindManifestAsync("r", first.Digest, default);
        Assert.Equal((T0, T0.AddHours(1)), (stored!.PushedAt, stored.RefreshedAt));
        Assert.Equal(second.Digest, (await repositories.FindTaggedAsync("r", "latest", default))!.Digest);
        var row = await repositories.GetAsync("r", default);
        Assert.Equal((2, 2, T0.AddHours(2)), (row!.Tags, row.Manifests, row.LastPushedAt));
    }

    [Fact]
    public async Task Twenty_thousand_tags_paginate_exactly_and_a_deleted_tag_leaves_every_page()
    {
        var (repositories, _) = await StoresAsync();
        var tags = Enumerable.Range(0, 20_000).Select(i => $"build-{i:x5}").ToArray();
        await repositories.PutManifestAsync("big", Image("big", blobs: 1), tags, T0, default);
        Assert.True(await repositories.DeleteTagAsync("big", "build-00100", default));
        Assert.False(await repositories.DeleteTagAsync("big", "build-00100", default));
        var expected = tags.Where(t => t != "build-00100").Order(StringComparer.Ordinal).ToArray();

        var seen = new List<string>();
        string? last = null;
        while (true)
        {
            var page = await repositories.ListTagsAsync("big", last, 777, default);
            seen.AddRange(page);
            if (page.Count < 777) break;
            last = page[^1];
        }

        Assert.Equal(expected, seen);
        Assert.Equal(expected.Length, (await repositories.GetAsync("big", default))!.Tags);
        Assert.Equal(expected.SkipWhile(t => string.CompareOrdinal(t, "build-00fff") <= 0).Take(3),
            await repositories.ListTagsAsync("big", "build-00fff", 3, default));
    }

    [Fact]
    public async Task Tags_sort_by_code_point_not_by_locale()
    {
        var (repositories, _) = await StoresAsync();
        string[] tags = ["b", "B", "a", "A", "_x", "-y", "1.0", "10"];
        await repositories.PutManifestAsync("r", Image("x", blobs: 1), tags, T0, default);

        Assert.Equal(tags.Order(StringComparer.Ordinal), await repositories.ListTagsAsync("r", null, 100, default));
    }

    [Fact]
    public async Task Deleting_a_manifest_takes_its_tags_and_references_and_the_last_one_takes_the_repository_row()
    {
        var (repositories, catalog) = await StoresAsync();
        var one = Image("1", blobs: 2);
        var two = Image("2", blobs: 2);
        await repositories.PutManifestAsync("r", one, ["a", "b"], T0, default);
        await repositories.PutManifestAsync("r", two, ["c"], T0, default);

        var deleted = await repositories.DeleteManifestAsync("r", one.Digest, default);

        Assert.Equal((ManifestDeletionOutcome.Deleted, 2), (deleted.Outcome, deleted.Tags));
        Assert.Null(await repositories.FindManifestAsync("r", one.Digest, default));
        Assert.Equal(["c"], await repositories.ListTagsAsync("r", null, 10, default));
        Assert.Equal((1, 1), ((await repositories.GetAsync("r", default))!.Tags, (await repositories.GetAsync("r", default))!.Manifests));
        Assert.Equal(ManifestDeletionOutcome.Unknown, (await repositories.DeleteManifestAsync("r", one.Digest, default)).Outcome);

        await repositories.DeleteManifestAsync("r", two.Digest, default);
        Assert.Null(await repositories.GetAsync("r", default));
        Assert.Empty(await catalog.ListNamesAsync(null, 10, default));
    }

    [Fact]
    public async Task A_manifest_an_index_lists_is_not_deleted()
    {
        var (repositories, _) = await StoresAsync();
        var amd64 = Image("amd64", blobs: 1);
        var index = new ManifestRecord(Digest.Compute("index"u8), 300, MediaTypes.OciIndex, [], [amd64.Digest], null, null, null, default);
        await repositories.PutManifestAsync("r", amd64, [], T0, default);
        await repositories.PutManifestAsync("r", index, ["multi"], T0, default);

        var refused = await repositories.DeleteManifestAsync("r", amd64.Digest, default);

        Assert.Equal((ManifestDeletionOutcome.ListedByIndex, index.Digest), (refused.Outcome, refused.Index));
        Assert.NotNull(await repositories.FindManifestAsync("r", amd64.Digest, default));
        Assert.Equal([amd64.Digest], (await repositories.FindTaggedAsync("r", "multi", default))!.Children);
        Assert.Equal(ManifestDeletionOutcome.Deleted, (await repositories.DeleteManifestAsync("r", index.Digest, default)).Outcome);
        Assert.Equal(ManifestDeletionOutcome.Deleted, (await repositories.DeleteManifestAsync("r", amd64.Digest, default)).Outcome);
    }

    [Fact]
    public async Task Referrers_come_back_by_subject_with_their_annotations_filtered_by_artifact_type()
    {
        var (repositories, _) = await StoresAsync();
        var subject = Image("subject", blobs: 1);
        await repositories.PutManifestAsync("r", subject, ["v1"], T0, default);
        var signature = Referrer("sig", subject.Digest, "application/vnd.example.signature", new Dictionary<string, string> { ["org.example.signer"] = "ci" });
        var sbom = Referrer("sbom", subject.Digest, "application/spdx+json", null);
        await repositories.PutManifestAsync("r", signature, [], T0.AddSeconds(1), default);
        await repositories.PutManifestAsync("r", sbom, [], T0.AddSeconds(2), default);

        var all = await repositories.ReferrersAsync("r", subject.Digest, null, default);
        var signatures = await repositories.ReferrersAsync("r", subject.Digest, "application/vnd.example.signature", default);

        Assert.Equal([signature.Digest, sbom.Digest], all.Select(d => d.Digest));
        Assert.Equal("ci", Assert.Single(signatures).Annotations!["org.example.signer"]);
        Assert.Empty(await repositories.ReferrersAsync("other", subject.Digest, null, default));
    }

    [Fact]
    public async Task The_catalog_pages_by_name_and_counts_come_from_the_rows()
    {
        var (repositories, catalog) = await StoresAsync();
        var names = Enumerable.Range(0, 50).Select(i => $"team{i % 5}/app{i:d2}").ToArray();
        foreach (var name in names) await repositories.PutManifestAsync(name, Image(name, blobs: 1), ["v1", "v2"], T0, default);

        var page = await catalog.ListNamesAsync("team2/app", 4, default);
        var counts = await catalog.CountAsync(default);

        Assert.Equal(names.Order(StringComparer.Ordinal).Where(n => string.CompareOrdinal(n, "team2/app") > 0).Take(4), page);
        Assert.Equal(new RegistryCounts(50, 100, 50), counts);
        Assert.Equal(names.Order(StringComparer.Ordinal).Take(3), (await catalog.ListAsync(null, 3, default)).Select(r => r.Name));
    }

    private async Task<(RepositoryRows, CatalogRows)> StoresAsync()
    {
        var database = await databases.CreateAsync();
        return (new RepositoryRows(database), new CatalogRows(database));
    }

    private static ManifestRecord Image(string seed, int blobs) => new(
        Digest.Compute(System.Text.Encoding.UTF8.GetBytes($"manifest {seed}")),
        1234,
        MediaTypes.OciManifest,
        Enumerable.Range(0, blobs + 1).Select(i => Digest.Compute(System.Text.Encoding.UTF8.GetBytes($"blob {seed} {i}"))).ToArray(),
        [],
        null,
        null,
        null,
        default);

    private static ManifestRecord Referrer(string seed, Digest subject, string artifactType, IReadOnlyDictionary<string, string>? annotations) =>
        Image(seed, blobs: 1) with { Subject = subject, ArtifactType = artifactType, Annotations = annotations };
}

public sealed class SqliteRepositoryRowsTests(SqliteRowsDatabases databases) : RepositoryRowsContract(databases), IClassFixture<SqliteRowsDatabases>;

public sealed class PostgresRepositoryRowsTests(PostgresRowsDatabases databases) : RepositoryRowsContract(databases), IClassFixture<PostgresRowsDatabases>;
