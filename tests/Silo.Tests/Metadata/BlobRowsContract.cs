using Nscr.Grains;
using Nscr.Metadata;
using Nscr.Oci;

namespace Nscr.Silo.Tests.Metadata;

/// <summary>What the blob rows must do in both databases.</summary>
public abstract class BlobRowsContract(IRowsDatabases databases)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_commit_records_the_blob_and_its_first_link_and_a_mount_adds_one()
    {
        var (blobs, _) = await StoresAsync();
        var digest = Blob("layer");

        await blobs.CommitAsync(digest, 4096, T0, "team/app", T0, default);
        Assert.True(await blobs.LinkAsync(digest, "team/other", T0.AddMinutes(5), default));
        Assert.True(await blobs.LinkAsync(digest, "team/other", T0.AddMinutes(6), default));

        Assert.Equal(new BlobRow(4096, T0, T0.AddMinutes(6)), await blobs.GetAsync(digest, default));
        Assert.Equal(["team/app", "team/other"], await blobs.LinksAsync(digest, default));
        Assert.False(await blobs.LinkAsync(Blob("absent"), "team/app", T0, default));
        Assert.Empty(await blobs.LinksAsync(Blob("absent"), default));
    }

    [Fact]
    public async Task Unlink_and_delete_remove_only_their_rows()
    {
        var (blobs, _) = await StoresAsync();
        var (kept, gone) = (Blob("kept"), Blob("gone"));
        await blobs.CommitAsync(kept, 1, T0, "a", T0, default);
        await blobs.CommitAsync(gone, 2, T0, "a", T0, default);
        await blobs.LinkAsync(gone, "b", T0, default);

        Assert.True(await blobs.UnlinkAsync(gone, "a", default));
        Assert.False(await blobs.UnlinkAsync(gone, "a", default));
        Assert.Equal(["b"], await blobs.LinksAsync(gone, default));
        await blobs.DeleteAsync(gone, default);

        Assert.Null(await blobs.GetAsync(gone, default));
        Assert.Empty(await blobs.LinksAsync(gone, default));
        Assert.NotNull(await blobs.GetAsync(kept, default));
        Assert.Equal(["a"], await blobs.LinksAsync(kept, default));
    }

    [Fact]
    public async Task An_import_writes_the_old_state_and_a_repeated_import_changes_nothing()
    {
        var (blobs, _) = await StoresAsync();
        var digest = Blob("imported");

        await blobs.ImportAsync(digest, 300, T0, T0.AddDays(1), ["r/one", "r/two"], default);
        await blobs.ImportAsync(digest, 300, T0, T0.AddDays(1), ["r/one", "r/two"], default);

        Assert.Equal(new BlobRow(300, T0, T0.AddDays(1)), await blobs.GetAsync(digest, default));
        Assert.Equal(["r/one", "r/two"], await blobs.LinksAsync(digest, default));
        Assert.True(await blobs.IsLinkedAsync(digest, "r/two", default));
        Assert.False(await blobs.IsLinkedAsync(digest, "r/three", default));
    }

    [Fact]
    public async Task Pruning_removes_only_links_to_the_named_repositories_and_a_dry_run_only_counts()
    {
        var (blobs, _) = await StoresAsync();
        var digest = Blob("pruned");
        await blobs.CommitAsync(digest, 1, T0, "keep", T0, default);
        await blobs.LinkAsync(digest, "gone/a", T0, default);
        await blobs.LinkAsync(digest, "gone/b", T0, default);

        Assert.Equal(2, await blobs.PruneLinksAsync(digest, ["gone/a", "gone/b", "never"], dryRun: true, default));
        Assert.Equal(3, (await blobs.LinksAsync(digest, default)).Count);
        Assert.Equal([digest], await blobs.LinkedToAsync("gone/a", null, 10, default));
        Assert.Equal(2, await blobs.PruneLinksAsync(digest, ["gone/a", "gone/b", "never"], dryRun: false, default));

        Assert.Equal(["keep"], await blobs.LinksAsync(digest, default));
        Assert.Empty(await blobs.LinkedToAsync("gone/a", null, 10, default));
    }

    [Fact]
    public async Task The_blobs_linked_to_a_repository_page_by_digest()
    {
        var (blobs, _) = await StoresAsync();
        var digests = Enumerable.Range(0, 5).Select(i => Blob($"page-{i}")).OrderBy(d => d.ToString(), StringComparer.Ordinal).ToArray();
        foreach (var digest in digests) await blobs.CommitAsync(digest, 1, T0, "paged", T0, default);

        var first = await blobs.LinkedToAsync("paged", null, 3, default);
        var second = await blobs.LinkedToAsync("paged", first[^1], 3, default);

        Assert.Equal(digests, first.Concat(second));
    }

    [Fact]
    public async Task A_lazy_touch_never_moves_the_time_back()
    {
        var (blobs, _) = await StoresAsync();
        var digest = Blob("touched");
        await blobs.CommitAsync(digest, 1, T0, "a", T0, default);

        await blobs.TouchAsync(digest, T0.AddHours(2), default);
        await blobs.TouchAsync(digest, T0.AddHours(1), default);

        Assert.Equal(T0.AddHours(2), (await blobs.GetAsync(digest, default))!.LastTouched);
    }

    [Fact]
    public async Task Gc_candidates_are_old_blobs_no_manifest_stands_on_paged_by_digest()
    {
        var (blobs, repositories) = await StoresAsync();
        var layers = Enumerable.Range(0, 30).Select(i => Blob($"layer {i}")).ToArray();
        foreach (var layer in layers) await blobs.CommitAsync(layer, 10, T0, "r", T0, default);
        var manifest = new ManifestRecord(Blob("manifest"), 200, MediaTypes.OciManifest, layers[..10], [], null, null, null, default);
        await blobs.CommitAsync(manifest.Digest, 200, T0, "r", T0, default);
        await repositories.PutManifestAsync("r", manifest, ["v1"], T0, default);
        var recent = Blob("recent");
        await blobs.CommitAsync(recent, 1, T0.AddHours(2), "r", T0.AddHours(2), default);

        var candidates = new List<Digest>();
        Digest? after = null;
        while (true)
        {
            var page = await blobs.UnreferencedAsync(T0.AddHours(1), after, 7, default);
            candidates.AddRange(page);
            if (page.Count < 7) break;
            after = page[^1];
        }

        Assert.Equal(layers[10..].Select(d => d.ToString()).Order(StringComparer.Ordinal), candidates.Select(d => d.ToString()));
        await repositories.DeleteManifestAsync("r", manifest.Digest, default);
        Assert.Equal(31, (await blobs.UnreferencedAsync(T0.AddHours(1), null, 100, default)).Count);
    }

    private async Task<(BlobRows, RepositoryRows)> StoresAsync()
    {
        var database = await databases.CreateAsync();
        return (new BlobRows(database), new RepositoryRows(database));
    }

    private static Digest Blob(string seed) => Digest.Compute(System.Text.Encoding.UTF8.GetBytes(seed));
}

public sealed class SqliteBlobRowsTests(SqliteRowsDatabases databases) : BlobRowsContract(databases), IClassFixture<SqliteRowsDatabases>;

public sealed class PostgresBlobRowsTests(PostgresRowsDatabases databases) : BlobRowsContract(databases), IClassFixture<PostgresRowsDatabases>;
