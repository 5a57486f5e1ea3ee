using Nscr.Grains.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Grains.Tests.Gc;

/// <summary>What one repository keeps in a cycle: tags, children of kept indexes, referrers of kept subjects, recent pushes.</summary>
public sealed class RepositoryCollectTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private DateTimeOffset Now => cluster.Clock.GetUtcNow();

    /// <summary>Moves the clock past every push so far and collects with a cutoff that protects nothing older.</summary>
    private Task<RepositoryCollectResult> CollectAsync(string repository, RetentionRule? rule = null, bool dryRun = false, bool deleteUntagged = true)
    {
        cluster.Clock.Advance(TimeSpan.FromMinutes(1));
        return cluster.Repository(repository).CollectAsync(new RepositoryCollectRequest(Now - TimeSpan.FromSeconds(30), Now, dryRun, deleteUntagged, rule));
    }

    private async Task<ManifestRecord> ImageAsync(string repository, string? tag, Digest? subject = null) =>
        await cluster.PutImageAsync(repository, tag, [await cluster.UploadAsync(repository)], subject);

    private static string[] Sorted(IEnumerable<Digest> digests) => digests.Select(d => d.ToString()).Order(StringComparer.Ordinal).ToArray();

    private async Task<ManifestRecord?> ResolveAsync(string repository, Digest digest) =>
        await cluster.Repository(repository).ResolveAsync(new Reference(null, digest));

    [Fact]
    public async Task Untagged_manifests_go_and_tagged_ones_stay_with_everything_they_need()
    {
        var repository = GrainCluster.NewRepository("reach");
        var tagged = await ImageAsync(repository, "v1");
        var untagged = await ImageAsync(repository, tag: null);

        var result = await CollectAsync(repository);

        Assert.Equal([new CollectedManifest(untagged.Digest, untagged.Size)], result.DeletedManifests);
        Assert.Null(await ResolveAsync(repository, untagged.Digest));
        Assert.NotNull(await ResolveAsync(repository, tagged.Digest));
        Assert.Equal(Sorted(tagged.Blobs.Append(tagged.Digest)), Sorted(result.Live));
        Assert.False(result.Empty);
    }

    [Fact]
    public async Task A_manifest_pushed_within_the_grace_period_stays_untagged()
    {
        var repository = GrainCluster.NewRepository("reach");
        await ImageAsync(repository, "v1");
        var fresh = await ImageAsync(repository, tag: null);

        var result = await cluster.Repository(repository).CollectAsync(
            new RepositoryCollectRequest(Now - TimeSpan.FromSeconds(1), Now, false, true, null));

        Assert.Empty(result.DeletedManifests);
        Assert.Contains(fresh.Digest, result.Live);
    }

    [Fact]
    public async Task Children_of_a_tagged_index_stay_and_go_with_it_once_it_is_deleted()
    {
        var repository = GrainCluster.NewRepository("index");
        var amd64 = await ImageAsync(repository, tag: null);
        var arm64 = await ImageAsync(repository, tag: null);
        var index = await cluster.PutIndexAsync(repository, "multi", [amd64.Digest, arm64.Digest]);

        Assert.Empty((await CollectAsync(repository)).DeletedManifests);
        var refused = await Assert.ThrowsAsync<OciException>(() => cluster.Repository(repository).DeleteManifestAsync(amd64.Digest));
        Assert.Equal(OciErrorCode.Unsupported, refused.Code);

        Assert.True(await cluster.Repository(repository).DeleteManifestAsync(index.Digest));
        var result = await CollectAsync(repository);

        Assert.Equal(Sorted([amd64.Digest, arm64.Digest]), Sorted(result.DeletedManifests.Select(m => m.Digest)));
        Assert.True(result.Empty);
        Assert.Empty(result.Live);
    }

    [Fact]
    public async Task An_untagged_index_goes_with_its_children_in_one_step()
    {
        var repository = GrainCluster.NewRepository("index");
        await ImageAsync(repository, "keep");
        var child = await ImageAsync(repository, tag: null);
        var index = await cluster.PutIndexAsync(repository, tag: null, [child.Digest]);

        var result = await CollectAsync(repository);

        Assert.Equal(Sorted([child.Digest, index.Digest]), Sorted(result.DeletedManifests.Select(m => m.Digest)));
    }

    [Fact]
    public async Task Referrers_stay_with_a_live_subject_and_go_when_it_is_gone()
    {
        var repository = GrainCluster.NewRepository("referrers");
        var subject = await ImageAsync(repository, "v1");
        var signature = await ImageAsync(repository, tag: null, subject: subject.Digest);
        var signatureOfSignature = await ImageAsync(repository, tag: null, subject: signature.Digest);
        var orphan = await ImageAsync(repository, tag: null, subject: Digest.Compute("never pushed"u8));

        var first = await CollectAsync(repository);
        Assert.Equal([orphan.Digest], first.DeletedManifests.Select(m => m.Digest));
        Assert.Contains(signatureOfSignature.Digest, first.Live);

        Assert.True(await cluster.Repository(repository).DeleteManifestAsync(subject.Digest));
        var second = await CollectAsync(repository);
        Assert.Equal(Sorted([signature.Digest, signatureOfSignature.Digest]), Sorted(second.DeletedManifests.Select(m => m.Digest)));
        Assert.Empty(await cluster.Repository(repository).ReferrersAsync(subject.Digest, null));
    }

    [Fact]
    public async Task Retention_keeps_the_newest_tags_the_young_ones_and_the_patterns()
    {
        var repository = GrainCluster.NewRepository("retention");
        foreach (var tag in new[] { "latest", "v1", "v2", "v3", "v4" })
        {
            await ImageAsync(repository, tag);
            cluster.Clock.Advance(TimeSpan.FromDays(1));
        }
        var rule = new RetentionRule { Repository = "retention/*", KeepNewest = 1, DeleteOlderThan = TimeSpan.FromDays(2.5), KeepTags = ["latest"] };

        var dry = await CollectAsync(repository, rule, dryRun: true);
        Assert.Equal(["v1", "v2"], dry.DeletedTags.Order());
        Assert.Equal(5, (await cluster.Repository(repository).ListTagsAsync())!.Count);

        var result = await CollectAsync(repository, rule);

        Assert.Equal(["v1", "v2"], result.DeletedTags.Order());
        Assert.Equal(2, result.DeletedManifests.Count);
        Assert.Equal(["latest", "v3", "v4"], await cluster.Repository(repository).ListTagsAsync());
    }

    [Fact]
    public async Task Retention_can_keep_untagged_manifests_and_a_rule_without_tag_criteria_keeps_every_tag()
    {
        var repository = GrainCluster.NewRepository("retention");
        await ImageAsync(repository, "a");
        var untagged = await ImageAsync(repository, tag: null);

        var result = await CollectAsync(repository, new RetentionRule { Repository = "**", DeleteUntagged = false });

        Assert.Empty(result.DeletedTags);
        Assert.Empty(result.DeletedManifests);
        Assert.Contains(untagged.Digest, result.Live);
        Assert.Empty((await CollectAsync(repository, deleteUntagged: false)).DeletedManifests);
    }

    [Fact]
    public async Task An_emptied_repository_leaves_the_catalog_and_a_dry_run_does_not()
    {
        var repository = GrainCluster.NewRepository("empty");
        var image = await ImageAsync(repository, tag: null);
        Assert.Contains(repository, await cluster.Grains.GetGrain<ICatalogGrain>(0).ListAsync(null, 10_000));

        var dry = await CollectAsync(repository, dryRun: true);
        Assert.True(dry.Empty);
        Assert.NotNull(await ResolveAsync(repository, image.Digest));
        Assert.Contains(repository, await cluster.Grains.GetGrain<ICatalogGrain>(0).ListAsync(null, 10_000));

        var result = await CollectAsync(repository);
        Assert.True(result.Empty);
        Assert.DoesNotContain(repository, await cluster.Grains.GetGrain<ICatalogGrain>(0).ListAsync(null, 10_000));
        Assert.Null(await cluster.Repository(repository).ListTagsAsync());

        // The name can be used again.
        await ImageAsync(repository, "again");
        Assert.Contains(repository, await cluster.Grains.GetGrain<ICatalogGrain>(0).ListAsync(null, 10_000));
    }

    [Fact]
    public async Task A_first_push_that_fails_leaves_no_catalog_entry()
    {
        var repository = GrainCluster.NewRepository("first");
        var missing = Digest.Compute(Guid.NewGuid().ToByteArray());

        var error = await Assert.ThrowsAsync<OciException>(() => cluster.PutImageAsync(repository, "v1", [missing]));

        Assert.Equal(OciErrorCode.ManifestBlobUnknown, error.Code);
        Assert.DoesNotContain(repository, await cluster.Grains.GetGrain<ICatalogGrain>(0).ListAsync(null, 10_000));
        await ImageAsync(repository, "v1");
        Assert.Contains(repository, await cluster.Grains.GetGrain<ICatalogGrain>(0).ListAsync(null, 10_000));
    }

    [Fact]
    public async Task Deleting_a_repository_removes_tags_manifests_catalog_entry_and_links()
    {
        var repository = GrainCluster.NewRepository("delete");
        var image = await ImageAsync(repository, "v1");
        var child = await ImageAsync(repository, tag: null);
        await cluster.PutIndexAsync(repository, "multi", [child.Digest]);

        var deletion = await cluster.Repository(repository).DeleteRepositoryAsync();

        Assert.Equal(3, deletion!.Manifests);
        Assert.Equal(2, deletion.Tags);
        Assert.Null(await cluster.Repository(repository).ListTagsAsync());
        Assert.DoesNotContain(repository, await cluster.Grains.GetGrain<ICatalogGrain>(0).ListAsync(null, 10_000));
        foreach (var digest in image.Blobs.Append(image.Digest)) Assert.False(await cluster.Blob(digest).IsLinkedAsync(repository));
        Assert.Null(await cluster.Repository(repository).DeleteRepositoryAsync());
    }
}
