using Nscr.Oci;

namespace Nscr.Grains.Interfaces.Tests.Oci;

public sealed class ReferenceTests
{
    [Theory]
    [InlineData("latest")]
    [InlineData("v1.2.3")]
    [InlineData("1.0-rc.1_build")]
    [InlineData("_private")]
    [InlineData("A")]
    [InlineData("UPPER_case")]
    [InlineData("0")]
    [InlineData("a..b")]
    [InlineData("a--b")]
    public void Tag_ValidShapes(string tag)
    {
        Assert.True(Reference.IsValidTag(tag));
        var reference = Reference.Parse(tag);
        Assert.Equal(tag, reference.Tag);
        Assert.Null(reference.Digest);
        Assert.False(reference.IsDigest);
        Assert.Equal(tag, reference.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("a+b")]
    [InlineData("tag@x")]
    [InlineData("é")]
    [InlineData("latest\n")]
    public void Tag_InvalidShapes_AreTagInvalid(string tag)
    {
        Assert.False(Reference.IsValidTag(tag));
        var error = Assert.Throws<OciException>(() => Reference.Parse(tag));
        Assert.Equal(OciErrorCode.TagInvalid, error.Code);
    }

    [Fact]
    public void Tag_128CharactersIsTheLimit()
    {
        Assert.True(Reference.IsValidTag(new string('a', 128)));
        Assert.False(Reference.IsValidTag(new string('a', 129)));
        Assert.Equal(OciErrorCode.TagInvalid, Assert.Throws<OciException>(() => Reference.Parse(new string('a', 129))).Code);
    }

    [Fact]
    public void Tag_Null_IsNotValid()
    {
        Assert.False(Reference.IsValidTag(null));
    }

    [Fact]
    public void Digest_ParsesToADigestReference()
    {
        var digest = Digest.Compute("x"u8);

        var reference = Reference.Parse(digest.ToString());

        Assert.True(reference.IsDigest);
        Assert.Null(reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(digest.ToString(), reference.ToString());
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("latest:1")]
    public void Reference_WithAColon_ButNotADigest_IsDigestInvalid(string text)
    {
        var error = Assert.Throws<OciException>(() => Reference.Parse(text));

        Assert.Equal(OciErrorCode.DigestInvalid, error.Code);
    }
}
