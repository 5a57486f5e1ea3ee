using Nscr.Storage.S3;

namespace Nscr.Storage.Tests.S3;

public sealed class CommitPlanTests
{
    private const long MiB = 1024 * 1024;
    private const int PartSize = (int)(8 * MiB);

    private static List<Segment> Chain(params long[] sizes)
    {
        var chain = new List<Segment>();
        long start = 0;
        foreach (var size in sizes)
        {
            chain.Add(new Segment($"s{chain.Count}", start, size));
            start += size;
        }
        return chain;
    }

    private static string Describe(CommitPlan plan) => string.Join(" ", plan.Parts.Select(part =>
        (part.IsCopy ? "copy:" : "put:") + string.Join("+", part.Ranges.Select(r => $"{r.Segment.Key}[{r.From / MiB}..{(r.From + r.Count) / MiB})"))));

    [Fact]
    public void LargeSegments_AreCopied_SmallOnesGatheredIntoReuploadedParts()
    {
        var plan = CommitPlan.Create(Chain(6 * MiB, 1 * MiB, 12 * MiB, 2 * MiB), PartSize, copy: true);

        // After the 1 MiB segment, 7 MiB of the next fill an 8 MiB part; its 5 MiB rest is big enough to copy.
        Assert.Equal("copy:s0[0..6) put:s1[0..1)+s2[0..7) copy:s2[7..12) put:s3[0..2)", Describe(plan));
    }

    [Fact]
    public void EveryPartButTheLast_HoldsAtLeastFiveMiB_AndThePartsCoverTheChainInOrder()
    {
        var sizes = new[] { 3 * MiB, 5 * MiB, 4 * MiB + 1, 9 * MiB, 1, 2, 6 * MiB, MiB / 2 };
        foreach (var copy in new[] { true, false })
        {
            var plan = CommitPlan.Create(Chain(sizes), PartSize, copy);

            Assert.All(plan.Parts.SkipLast(1), part => Assert.True(part.Size >= S3BlobStore.MinPartSize, $"part of {part.Size} bytes"));
            var position = 0L;
            foreach (var range in plan.Parts.SelectMany(part => part.Ranges))
            {
                Assert.Equal(position, range.Segment.Start + range.From);
                position += range.Count;
            }
            Assert.Equal(sizes.Sum(), position);
            Assert.Equal(copy, plan.Parts.Any(part => part.IsCopy));
        }
    }

    [Fact]
    public void WithoutPartCopy_PartsAreOfThePartSize()
    {
        var plan = CommitPlan.Create(Chain(20 * MiB, 3 * MiB), PartSize, copy: false);

        Assert.Equal(new[] { 8 * MiB, 8 * MiB, 7 * MiB }, plan.Parts.Select(part => part.Size));
    }
}
