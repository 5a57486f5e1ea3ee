using Nscr.Oci;

namespace Nscr.Grains.Interfaces.Tests.Oci;

public sealed class RepositoryNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("library")]
    [InlineData("0")]
    [InlineData("library/ubuntu")]
    [InlineData("a/b/c/d/e/f")]
    [InlineData("my.registry/team/app")]
    [InlineData("a.b")]
    [InlineData("a_b")]
    [InlineData("a__b")]
    [InlineData("a-b")]
    [InlineData("a--b")]
    [InlineData("a---------b")]
    [InlineData("a-b.c_d__e/f-g")]
    [InlineData("123/456")]
    public void Valid_NamesOfTheSpecGrammar(string name)
    {
        Assert.True(RepositoryName.IsValid(name));
        Assert.Equal(name, RepositoryName.Validate(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Library")]
    [InlineData("library/Ubuntu")]
    [InlineData("a..b")]
    [InlineData("a___b")]
    [InlineData("a._b")]
    [InlineData("a.-b")]
    [InlineData("a-.b")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("_a")]
    [InlineData("a_")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("a/../b")]
    [InlineData("..")]
    [InlineData("a/.b")]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("a%2Fb")]
    [InlineData("a@b")]
    [InlineData("é")]
    [InlineData("a\n")]
    [InlineData("library/ubuntu\n")]
    [InlineData("\na")]
    public void Invalid_NamesOutsideTheGrammar(string? name)
    {
        Assert.False(RepositoryName.IsValid(name));
        var error = Assert.Throws<OciException>(() => RepositoryName.Validate(name));
        Assert.Equal(OciErrorCode.NameInvalid, error.Code);
    }

    [Fact]
    public void Length_255IsTheLimit()
    {
        var longest = string.Join('/', Enumerable.Repeat(new string('a', 50), 5)) + "b";
        Assert.Equal(RepositoryName.MaxLength, longest.Length);

        Assert.True(RepositoryName.IsValid(longest));
        Assert.False(RepositoryName.IsValid(longest + "f"));
        Assert.False(RepositoryName.IsValid(new string('a', 256)));
        Assert.True(RepositoryName.IsValid(new string('a', 255)));
    }
}
