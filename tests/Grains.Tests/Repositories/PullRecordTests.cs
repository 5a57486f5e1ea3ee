using Nscr.Grains.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Grains.Tests.Repositories;

/// <summary>"Last pulled": a repository records manifest pulls in memory, writes them lazily and on deactivation.</summary>
public sealed class PullRecordTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    /// <summary>RecordPull is one-way: poll the view until it shows the expected time.</summary>
    private static async Task<DateTimeOffset?> EventuallyAsync(Func<Task<DateTimeOffset?>> read, DateTimeOffset expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        DateTimeOffset? value;
        while ((value = await read()) != expected && DateTime.UtcNow < deadline) await Task.Delay(20);
        return value;
    }

    [Fact]
    public async Task A_pull_shows_in_the_views_and_survives_a_deactivation()
    {
        var repository = GrainCluster.NewRepository("pulls");
        var child = await cluster.PutImageAsync(repository, tag: null, [await cluster.UploadAsync(repository)]);
        var index = await cluster.PutIndexAsync(repository, "multi", [child.Digest]);
        var other = await cluster.PutImageAsync(repository, "other", [await cluster.UploadAsync(repository)]);
        var grain = cluster.Repository(repository);
        Assert.Null((await grain.GetSummaryAsync())!.LastPulledAt);

        cluster.Clock.Advance(TimeSpan.FromMinutes(5));
        var first = cluster.Clock.GetUtcNow();
        await grain.RecordPullAsync(index.Digest);
        Assert.Equal(first, await EventuallyAsync(async () => (await grain.GetSummaryAsync())!.LastPulledAt, first));

        // Within the write interval: held in memory only, then written when the activation goes.
        cluster.Clock.Advance(TimeSpan.FromSeconds(10));
        var second = cluster.Clock.GetUtcNow();
        await grain.RecordPullAsync(child.Digest);
        await grain.RecordPullAsync(TestDigest());
        Assert.Equal(second, await EventuallyAsync(async () => (await grain.ListTagViewsAsync(null, 10))![0].LastPulledAt, second));
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        var gone = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await management.GetActivationAddress(grain) is not null && DateTime.UtcNow < gone) await Task.Delay(20);
        Assert.Null(await management.GetActivationAddress(grain));

        var views = (await grain.ListTagViewsAsync(null, 10))!;
        Assert.Equal(second, views.Single(v => v.Tag == "multi").LastPulledAt);
        Assert.Null(views.Single(v => v.Tag == "other").LastPulledAt);
        var manifests = (await grain.ListManifestViewsAsync())!;
        Assert.Equal(second, manifests.Single(m => m.Manifest.Digest == child.Digest).LastPulledAt);
        // An index was pulled when it or one of its children was.
        Assert.Equal(second, (await grain.GetManifestViewAsync(new Reference(null, index.Digest)))!.LastPulledAt);
        Assert.Null(manifests.Single(m => m.Manifest.Digest == other.Digest).LastPulledAt);
    }

    [Fact]
    public async Task Tag_views_name_what_no_other_tag_stands_on_and_the_referrers()
    {
        var repository = GrainCluster.NewRepository("exclusive");
        var shared = await cluster.UploadAsync(repository);
        var own = await cluster.UploadAsync(repository);
        var one = await cluster.PutImageAsync(repository, "one", [shared, own]);
        var two = await cluster.PutImageAsync(repository, "two", [shared]);
        await cluster.Repository(repository).PutManifestAsync(one, "one-again");
        var signature = await cluster.PutImageAsync(repository, tag: null, [await cluster.UploadAsync(repository)], subject: two.Digest);

        var views = (await cluster.Repository(repository).ListTagViewsAsync(null, 10))!.ToDictionary(v => v.Tag);

        // "one" and "one-again" are the same image: neither stands alone on anything; "two" alone on its manifest.
        Assert.Equal(0, views["one"].UniqueBytes);
        Assert.Equal(two.Size, views["two"].UniqueBytes);
        Assert.Equal([signature.Digest], views["two"].Referrers.Select(r => r.Digest));
        Assert.Empty(views["one"].Referrers);
    }

    private static Digest TestDigest() => Digest.Compute(Guid.NewGuid().ToByteArray());
}
