using Nscr.Gateway.Oci.Http;

namespace Nscr.Gateway.Tests.Unit;

public sealed class OciQueryTests
{
    [Fact]
    public void Parse_ReadsTheSpecsNames_DecodingNamesAndValues()
    {
        var query = OciQuery.Parse("?mount=sha256%3Aab&from=team%2Fapp&digest=d&n=5&last=a+b&artifactType=application%2Fx&other=1");
        Assert.Equal(new OciQuery("sha256:ab", "team/app", "d", "5", "a b", "application/x"), query);
        Assert.Equal("m", OciQuery.Parse("%6Dount=m").Mount);
    }

    [Theory]
    [InlineData("MOUNT=x&FROM=y&DIGEST=z&N=1&LAST=l&ARTIFACTTYPE=t")]
    [InlineData("Mount=x&From=y&Digest=z&Last=l&artifacttype=t")]
    [InlineData("mOuNt=x&fRoM=y&dIgEsT=z&lAsT=l&ArtifactType=t")]
    [InlineData("")]
    [InlineData("&&=&")]
    public void Parse_IgnoresEveryOtherSpelling(string text) => Assert.Equal(OciQuery.Empty, OciQuery.Parse(text));

    [Fact]
    public void Parse_TakesTheFirstValueOfARepeatedName_AndKeepsAnEmptyValueAsPresent()
    {
        var query = OciQuery.Parse("from=first&FROM=upper&from=second&mount&n=&n=3");
        Assert.Equal("first", query.From);
        Assert.Equal("", query.Mount);
        Assert.Equal("", query.Count);
    }

    [Fact]
    public void WithoutMount_DropsMountAndFrom_Only()
    {
        var query = OciQuery.Parse("mount=m&from=f&digest=d");
        Assert.Equal(new OciQuery(null, null, "d", null, null, null), query.WithoutMount());
    }
}
