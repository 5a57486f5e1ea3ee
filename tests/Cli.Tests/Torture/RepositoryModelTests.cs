using Nscr.Cli.Torture.Content;
using Nscr.Cli.Torture.Model;
using Xunit;

namespace Nscr.Cli.Tests.Torture;

public sealed class RepositoryModelTests
{
    private static readonly ImageFactory Factory = new(new Random(1), new BaseLayers(seed: 1, count: 2));

    [Fact]
    public void DeletingByDigestRemovesEveryTagOfThatManifestOnly()
    {
        var repository = new RepositoryModel("r");
        var first = NewImage();
        var second = NewImage();
        repository.Tag("a", first);
        repository.Tag("b", first);
        repository.Tag("c", second);

        var removed = repository.RemoveDigest(first.Digest);

        Assert.Equal(["a", "b"], removed.Order());
        Assert.Equal(["c"], repository.Tags.Keys);
        Assert.True(repository.EverPushed);
    }

    [Fact]
    public void MovingATagRepointsItAndImagesAreListedOnce()
    {
        var repository = new RepositoryModel("r");
        var first = NewImage();
        var second = NewImage();
        repository.Tag("a", first);
        repository.Tag("b", first);
        repository.Tag("b", second);

        Assert.Same(second, repository.Tags["b"]);
        Assert.Equal(2, repository.Images.Count());
        repository.Untag("a");
        Assert.Equal([second], repository.Images);
    }

    [Fact]
    public void AnAcknowledgedIndexKeepsItsChildrenAndNoBlobBytes()
    {
        var plan = Factory.NewIndex(docker: false);

        var pushed = PushedManifest.From(plan);

        Assert.Equal(plan.Digest, pushed.Digest);
        Assert.Equal(plan.Children.Select(c => c.Digest), pushed.Children.Select(c => c.Digest));
        Assert.Equal(plan.Children[0].Blobs.Select(b => b.Descriptor), pushed.Children[0].Blobs);
    }

    [Fact]
    public void ReferrersComeAndGo()
    {
        var image = NewImage();
        var referrer = PushedManifest.From(Factory.NewReferrer(image.Root.Manifest.Descriptor));
        image.AddReferrer(referrer);

        Assert.Equal([referrer], image.Referrers);
        Assert.True(image.RemoveReferrer(referrer.Digest));
        Assert.False(image.RemoveReferrer(referrer.Digest));
        Assert.Empty(image.Referrers);
    }

    private static Image NewImage() => new(PushedManifest.From(Factory.NewImage(docker: false)));
}
