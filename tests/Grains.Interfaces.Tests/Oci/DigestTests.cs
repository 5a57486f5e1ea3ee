using System.Security.Cryptography;
using System.Text;
using Nscr.Oci;

namespace Nscr.Grains.Interfaces.Tests.Oci;

public sealed class DigestTests
{
    private const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void Parse_ValidSha256_SplitsAlgorithmAndHex_AndRoundTrips()
    {
        var digest = Digest.Parse(EmptySha256);

        Assert.Equal(Digest.Sha256, digest.Algorithm);
        Assert.Equal(EmptySha256[7..], digest.Hex);
        Assert.Equal(EmptySha256, digest.ToString());
        Assert.Equal(HashAlgorithmName.SHA256, digest.HashAlgorithm);
    }

    [Fact]
    public void Parse_ValidSha512_IsAccepted()
    {
        var text = "sha512:" + new string('a', 128);

        var digest = Digest.Parse(text);

        Assert.Equal(Digest.Sha512, digest.Algorithm);
        Assert.Equal(text, digest.ToString());
        Assert.Equal(HashAlgorithmName.SHA512, digest.HashAlgorithm);
    }

    public static TheoryData<string?> InvalidDigests() => new()
    {
        null,
        "",
        ":",
        "sha256",
        "sha256:",
        ":" + new string('a', 64),
        "md5:" + new string('a', 32),
        "sha384:" + new string('a', 96),
        "SHA256:" + new string('a', 64),
        "sha256:" + new string('A', 64),
        "sha256:" + new string('a', 63) + "F",
        "sha256:" + new string('a', 63),
        "sha256:" + new string('a', 65),
        "sha256:" + new string('a', 128),
        "sha512:" + new string('a', 64),
        "sha512:" + new string('a', 127),
        "sha256:" + new string('g', 64),
        "sha256:" + new string('a', 63) + " ",
        " sha256:" + new string('a', 64),
        "sha256::" + new string('a', 63),
        "sha256+b64:" + new string('a', 64),
    };

    [Theory]
    [MemberData(nameof(InvalidDigests))]
    public void TryParse_Invalid_ReturnsFalse(string? text)
    {
        Assert.False(Digest.TryParse(text, out var digest));
        Assert.Equal(default, digest);
    }

    [Theory]
    [MemberData(nameof(InvalidDigests))]
    public void Parse_Invalid_ThrowsDigestInvalid(string? text)
    {
        var error = Assert.Throws<OciException>(() => Digest.Parse(text!));

        Assert.Equal(OciErrorCode.DigestInvalid, error.Code);
    }

    [Fact]
    public void Parse_VeryLongInput_TruncatesTheMessage()
    {
        var error = Assert.Throws<OciException>(() => Digest.Parse("sha256:" + new string('z', 10_000)));

        Assert.True(error.Message.Length < 200, error.Message);
    }

    [Fact]
    public void Compute_Sha256_MatchesTheKnownEmptyDigest_AndSystemHash()
    {
        var content = Encoding.UTF8.GetBytes("hello, registry");

        Assert.Equal(EmptySha256, Digest.Compute([]).ToString());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(content)), Digest.Compute(content).ToString());
    }

    [Fact]
    public void Compute_Sha512_MatchesSystemHash_AndParsesBack()
    {
        var content = Encoding.UTF8.GetBytes("hello, registry");

        var digest = Digest.Compute(content, Digest.Sha512);

        Assert.Equal("sha512:" + Convert.ToHexStringLower(SHA512.HashData(content)), digest.ToString());
        Assert.Equal(digest, Digest.Parse(digest.ToString()));
    }

    [Fact]
    public void Equality_IsByValue()
    {
        var a = Digest.Parse(EmptySha256);
        var b = Digest.Compute([]);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Digest.Compute([1]));
    }

    [Theory]
    [InlineData("md5:abc", true)]
    [InlineData("sha384:abc", true)]
    [InlineData("sha256:abc", false)]
    [InlineData("sha512:abc", false)]
    [InlineData("nocolon", false)]
    [InlineData(":abc", false)]
    public void IsUnsupportedAlgorithm_RecognisesForeignAlgorithms(string text, bool expected)
    {
        Assert.Equal(expected, Digest.IsUnsupportedAlgorithm(text));
    }

    [Fact]
    public void Default_PrintsEmpty()
    {
        Assert.Equal("", default(Digest).ToString());
    }
}
