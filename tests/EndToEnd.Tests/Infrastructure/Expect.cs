using Xunit;

namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>Assertions shared by several end-to-end tests.</summary>
public static class Expect
{
    /// <summary>Both layouts hold exactly the same blobs, byte for byte.</summary>
    public static void SameBlobs(OciLayout expected, OciLayout actual)
    {
        var want = expected.ReadBlobs();
        var got = actual.ReadBlobs();
        Assert.Equal(want.Keys.Order(), got.Keys.Order());
        foreach (var (name, bytes) in want)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(got[name]), $"blob {name} differs after the round trip");
        }
    }
}
