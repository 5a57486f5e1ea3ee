using Nscr.Grains;
using Nscr.Metadata;
using Nscr.Oci;

namespace Nscr.Silo.Tests.Metadata;

/// <summary>
/// The admin figures read from the rows, in both databases: repository sizes kept by the writers, unique and shared
/// bytes, stored and unreferenced blobs, and pages by key range.
/// </summary>
public abstract class UsageRowsContract(IRowsDatabases databases)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private sealed record Stores(RepositoryRows Repositories, BlobRows Blobs, UsageRows Usage);

    [Fact]
    public async Task A_layer_two_repositories_stand_on_is_shared_and_counted_once()
    {
        var stores = await StoresAsync();
        var shared = await BlobAsync(stores, "base", 1000, "a");
        var ownA = await BlobAsync(stores, "a-own", 200, "a");
        var ownB = await BlobAsync(stores, "b-own", 30, "b");
        await BlobAsync(stores, "stray", 7, "a");
        await PutAsync(stores, "a", Image("a1", 100, shared, ownA), "1");
        await PutAsync(stores, "b", Image("b1", 50, shared, ownB), "1");
        // A second image of "a" on the same base: the base is still counted once in "a".
        await PutAsync(stores, "a", Image("a2", 10, shared), "2");

        var page = await stores.Usage.ListAsync(ByName(10), default);

        Assert.Equal(["a", "b"], page.Repositories.Select(r => r.Name));
        var (a, b) = (page.Repositories[0], page.Repositories[1]);
        Assert.Equal((1310L, 310L, 1000L, 4), (a.SizeBytes, a.UniqueBytes, a.SharedBytes, a.Digests));
        Assert.Equal((1080L, 80L, 1000L, 3), (b.SizeBytes, b.UniqueBytes, b.SharedBytes, b.Digests));
        Assert.Equal((2, 2), (a.Tags, a.Manifests));
        Assert.Equal(new StoredFigures(7, 1397, 3, 160, 1, 7), await stores.Usage.StoredAsync(default));
        Assert.Equal(1000, await stores.Usage.SharedBytesAsync(default));
        Assert.Equal(a, await stores.Usage.GetAsync("a", default));

        // The figures are kept until the store changes: an upload, a blob's deletion.
        var late = await BlobAsync(stores, "late", 5, "b");
        Assert.Equal(new StoredFigures(8, 1402, 3, 160, 2, 12), await stores.Usage.StoredAsync(default));
        await stores.Blobs.DeleteAsync(late, default);
        Assert.Equal(new StoredFigures(7, 1397, 3, 160, 1, 7), await stores.Usage.StoredAsync(default));
    }

    [Fact]
    public async Task Sizes_unique_bytes_and_unreferenced_blobs_follow_manifest_deletes_and_a_collection()
    {
        var stores = await StoresAsync();
        var shared = await BlobAsync(stores, "base", 1000, "a");
        var ownA = await BlobAsync(stores, "a-own", 200, "a");
        var ownB = await BlobAsync(stores, "b-own", 30, "b");
        var a1 = await PutAsync(stores, "a", Image("a1", 100, shared, ownA), "1");
        var a2 = await PutAsync(stores, "a", Image("a2", 10, shared), "2");
        var b1 = await PutAsync(stores, "b", Image("b1", 50, shared, ownB), "1");

        // The base stays under a1: only a2's own bytes go.
        await stores.Repositories.DeleteManifestAsync("a", a2.Digest, default);
        Assert.Equal((1300L, 300L), Figures(await stores.Usage.GetAsync("a", default)));
        Assert.Equal(new StoredFigures(6, 1390, 2, 150, 1, 10), await stores.Usage.StoredAsync(default));

        // Once "b" is gone, "a" alone stands on the base: all of it is unique.
        await stores.Repositories.DeleteManifestAsync("b", b1.Digest, default);
        Assert.Null(await stores.Usage.GetAsync("b", default));
        Assert.Equal((1300L, 1300L), Figures(await stores.Usage.GetAsync("a", default)));
        Assert.Equal(new StoredFigures(6, 1390, 1, 100, 3, 90), await stores.Usage.StoredAsync(default));
        Assert.Equal(0, await stores.Usage.SharedBytesAsync(default));

        // A GC removal sizes the repository again from its rows.
        await PutAsync(stores, "a", Image("a3", 5, ownA), tag: null);
        Assert.Equal((1305L, 1305L), Figures(await stores.Usage.GetAsync("a", default)));
        await stores.Repositories.RemoveAsync("a", ["1"], [a1.Digest], default);
        Assert.Equal((205L, 205L), Figures(await stores.Usage.GetAsync("a", default)));
        Assert.Equal(1, (await stores.Usage.ListAsync(ByName(10), default)).Total);
    }

    [Fact]
    public async Task A_big_repositorys_unique_bytes_follow_what_other_repositories_push_and_delete()
    {
        var stores = await StoresAsync();
        var layer = await BlobAsync(stores, "layer", 3000, "big");
        for (var i = 0; i < 70; i++) await PutAsync(stores, "big", Image($"big {i}", 10, layer), $"v{i}");
        Assert.Equal((3700L, 3700L), Figures(await stores.Usage.GetAsync("big", default)));

        var other = await PutAsync(stores, "other", Image("other", 1, layer), "1");
        Assert.Equal((3700L, 700L), Figures((await stores.Usage.ListAsync(ByName(10), default)).Repositories[0]));
        Assert.Equal((3700L, 700L), Figures(await stores.Usage.GetAsync("big", default)));

        await stores.Repositories.DeleteManifestAsync("other", other.Digest, default);
        Assert.Equal((3700L, 3700L), Figures(await stores.Usage.GetAsync("big", default)));
        await stores.Repositories.DeleteManifestAsync("big", Image("big 0", 10, layer).Digest, default);
        Assert.Equal((3690L, 3690L), Figures(await stores.Usage.GetAsync("big", default)));
    }

    [Fact]
    public async Task Three_hundred_repositories_page_exactly_by_key_range_offset_and_filter()
    {
        var stores = await StoresAsync();
        var names = Enumerable.Range(0, 300).Select(i => $"team{i % 3}/app{i:d3}").ToArray();
        var sizes = new Dictionary<string, long>();
        for (var i = 0; i < names.Length; i++)
        {
            var blob = await BlobAsync(stores, names[i], 10 + i, names[i]);
            var manifest = await PutAsync(stores, names[i], Image(names[i], 1, blob), "v1");
            sizes[names[i]] = 10 + i + manifest.Size;
        }
        var ordered = names.Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(ordered, await WalkAsync(stores, ByName(7)));
        Assert.Equal(ordered.Reverse(), await WalkAsync(stores, ByName(7) with { Descending = true }));
        var filtered = await WalkAsync(stores, ByName(9) with { Filter = "TEAM1/" });
        Assert.Equal(ordered.Where(n => n.StartsWith("team1/", StringComparison.Ordinal)), filtered);

        var bySize = new List<string>();
        for (var offset = 0; offset < 300; offset += 11)
        {
            var page = await stores.Usage.ListAsync(ByName(11) with { Sort = RepositorySort.Size, Descending = true, Offset = offset }, default);
            Assert.Equal((offset, 300, offset + 11 < 300), (page.Start, page.Total, page.More));
            bySize.AddRange(page.Repositories.Select(r => r.Name));
            Assert.All(page.Repositories, r => Assert.Equal(sizes[r.Name], r.SizeBytes));
        }
        Assert.Equal(names.OrderByDescending(n => sizes[n]), bySize);
    }

    [Fact]
    public async Task The_tag_page_pages_exactly_and_sizes_each_image_with_what_it_alone_stands_on()
    {
        var stores = await StoresAsync();
        var shared = await BlobAsync(stores, "base", 5000, "r");
        var tags = Enumerable.Range(0, 40).Select(i => $"t{i:d3}").ToArray();
        var images = new Dictionary<string, ManifestRecord>();
        foreach (var tag in tags)
        {
            var own = await BlobAsync(stores, $"own {tag}", 100, "r");
            images[tag] = await PutAsync(stores, "r", Image(tag, 20, shared, own), tag);
        }
        // Another repository on t001's own layer; a second tag on t002's image; a referrer of t003.
        await PutAsync(stores, "other", Image("other", 20, images["t001"].Blobs[1]), "x");
        await stores.Repositories.PutManifestAsync("r", images["t002"], ["t002-again"], T0, default);
        var signature = await PutAsync(stores, "r", Image("signature", 9, await BlobAsync(stores, "sig", 3, "r")) with { Subject = images["t003"].Digest }, tag: null);
        // An index over two children, each on the base and a layer of its own.
        var children = new List<ManifestRecord>();
        foreach (var platform in new[] { "amd64", "arm64" })
        {
            children.Add(await PutAsync(stores, "r", Image(platform, 30, shared, await BlobAsync(stores, $"own {platform}", 400, "r")), tag: null));
        }
        var index = await PutAsync(stores, "r", Image("index", 40) with { MediaType = MediaTypes.OciIndex, Children = children.Select(c => c.Digest).ToArray() }, "multi");

        var walked = new List<TagView>();
        string? last = null;
        while (true)
        {
            var page = await stores.Repositories.TagPageAsync("r", last, 9, default);
            walked.AddRange(page);
            if (page.Count < 9) break;
            last = page[^1].Tag;
        }

        var all = tags.Append("t002-again").Append("multi").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(all, walked.Select(v => v.Tag));
        var views = walked.ToDictionary(v => v.Tag);
        Assert.Equal((5120L, 120L), (views["t000"].SizeBytes, views["t000"].UniqueBytes));
        Assert.Equal((5120L, 20L), (views["t001"].SizeBytes, views["t001"].UniqueBytes));
        Assert.Equal((5120L, 0L), (views["t002"].SizeBytes, views["t002"].UniqueBytes));
        Assert.Equal([signature.Digest], views["t003"].Referrers.Select(r => r.Digest));
        Assert.Empty(views["t000"].Referrers);
        Assert.Equal((40L + 30 + 30 + 5000 + 400 + 400, 40L + 30 + 30 + 400 + 400), (views["multi"].SizeBytes, views["multi"].UniqueBytes));
        Assert.Equal(index.Digest, views["multi"].Manifest.Digest);
        Assert.Empty(await stores.Repositories.TagPageAsync("r", "zzz", 9, default));
    }

    private static RepositoryListRequest ByName(int count) => new("", RepositorySort.Name, false, count, null, 0);

    private static (long Size, long Unique) Figures(RepositorySummary? summary) => (summary!.SizeBytes, summary.UniqueBytes);

    /// <summary>Every page of <paramref name="request"/> following the name cursor, checking each page's start and total.</summary>
    private static async Task<List<string>> WalkAsync(Stores stores, RepositoryListRequest request)
    {
        var names = new List<string>();
        while (true)
        {
            var page = await stores.Usage.ListAsync(request, default);
            Assert.Equal(names.Count, page.Start);
            names.AddRange(page.Repositories.Select(r => r.Name));
            Assert.Equal(page.More, names.Count < page.Total);
            if (!page.More) return names;
            Assert.Equal(request.Count, page.Repositories.Count);
            request = request with { Last = names[^1] };
        }
    }

    private async Task<Stores> StoresAsync()
    {
        var database = await databases.CreateAsync();
        return new Stores(new RepositoryRows(database), new BlobRows(database), new UsageRows(database, TimeProvider.System));
    }

    private static async Task<Digest> BlobAsync(Stores stores, string seed, long size, string repository)
    {
        var digest = Digest.Compute(System.Text.Encoding.UTF8.GetBytes($"blob {seed}"));
        await stores.Blobs.CommitAsync(digest, size, T0, repository, T0, default);
        return digest;
    }

    /// <summary>Commits the manifest's body as a blob (as the registry does) and puts the manifest.</summary>
    private static async Task<ManifestRecord> PutAsync(Stores stores, string repository, ManifestRecord manifest, string? tag)
    {
        await stores.Blobs.CommitAsync(manifest.Digest, manifest.Size, T0, repository, T0, default);
        await stores.Repositories.PutManifestAsync(repository, manifest, tag is null ? [] : [tag], T0, default);
        return manifest;
    }

    private static ManifestRecord Image(string seed, long size, params Digest[] blobs) => new(
        Digest.Compute(System.Text.Encoding.UTF8.GetBytes($"manifest {seed}")), size, MediaTypes.OciManifest, blobs, [], null, null, null, default);
}

public sealed class SqliteUsageRowsTests(SqliteRowsDatabases databases) : UsageRowsContract(databases), IClassFixture<SqliteRowsDatabases>;

public sealed class PostgresUsageRowsTests(PostgresRowsDatabases databases) : UsageRowsContract(databases), IClassFixture<PostgresRowsDatabases>;
