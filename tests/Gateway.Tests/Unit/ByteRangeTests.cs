using Nscr.Gateway.Oci.Http;

namespace Nscr.Gateway.Tests.Unit;

public sealed class ByteRangeTests
{
    [Theory]
    [InlineData("0-99", 0, 99)]
    [InlineData("0-0", 0, 0)]
    [InlineData("100-199", 100, 199)]
    [InlineData(" 5-9 ", 5, 9)]
    [InlineData("bytes 0-99/100", 0, 99)]
    [InlineData("bytes 10-19/*", 10, 19)]
    [InlineData("Bytes 10-19/1000", 10, 19)]
    [InlineData("7-7/8", 7, 7)]
    [InlineData("0-9223372036854775806", 0, long.MaxValue - 1)]
    public void ContentRange_Valid(string header, long start, long end)
    {
        Assert.True(ByteRange.TryParseContentRange(header, out var range));
        Assert.Equal(new ByteRange(start, end), range);
        Assert.Equal(end - start + 1, range.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("99-0")]
    [InlineData("1-0")]
    [InlineData("-1-5")]
    [InlineData("-5")]
    [InlineData("5-")]
    [InlineData("5")]
    [InlineData("a-b")]
    [InlineData("0x0-0x9")]
    [InlineData("+1-2")]
    [InlineData("1-+2")]
    [InlineData("1-2-3")]
    [InlineData("1.5-2")]
    [InlineData("0-99/abc")]
    [InlineData("0-99/-1")]
    [InlineData("bytes */100")]
    [InlineData("0-99999999999999999999")]
    [InlineData("bytes=0-99")]
    public void ContentRange_ReversedNegativeOrGarbage_IsRejected(string? header)
    {
        Assert.False(ByteRange.TryParseContentRange(header, out _));
    }

    [Theory]
    [InlineData("bytes=0-9", 0, 9)]
    [InlineData("bytes=10-19", 10, 19)]
    [InlineData("bytes=99-99", 99, 99)]
    [InlineData("bytes=0-1000", 0, 99)]
    [InlineData("bytes=90-", 90, 99)]
    [InlineData("bytes=0-", 0, 99)]
    [InlineData("bytes=-10", 90, 99)]
    [InlineData("bytes=-1", 99, 99)]
    [InlineData("bytes=-1000", 0, 99)]
    [InlineData("BYTES=1-2", 1, 2)]
    [InlineData(" bytes= 3 - 4 ", 3, 4)]
    public void RequestRange_SingleRange(string header, long start, long end)
    {
        var request = ByteRange.ParseRequestRange(header, 100);

        Assert.False(request.IsUnsatisfiable);
        Assert.Equal(new ByteRange(start, end), request.Range);
    }

    [Theory]
    [InlineData("bytes=100-")]
    [InlineData("bytes=100-200")]
    [InlineData("bytes=1000-1001")]
    [InlineData("bytes=-0")]
    public void RequestRange_Unsatisfiable(string header)
    {
        var request = ByteRange.ParseRequestRange(header, 100);

        Assert.True(request.IsUnsatisfiable);
        Assert.Null(request.Range);
    }

    [Theory]
    [InlineData("bytes=0-")]
    [InlineData("bytes=-5")]
    public void RequestRange_OnAnEmptyBlob_IsUnsatisfiable(string header)
    {
        Assert.True(ByteRange.ParseRequestRange(header, 0).IsUnsatisfiable);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("bytes=0-1, 90-")]
    [InlineData("items=0-9")]
    [InlineData("0-9")]
    public void RequestRange_AbsentMultiOrOtherUnit_IsTheWholeBlob(string? header)
    {
        Assert.Equal(RangeRequest.Whole, ByteRange.ParseRequestRange(header, 100));
    }

    /// <summary>RFC 9110 §14.2: a syntactically invalid byte-range-set is ignored, not answered 416.</summary>
    [Theory]
    [InlineData("bytes=")]
    [InlineData("bytes=abc")]
    [InlineData("bytes=5-2")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=-x")]
    [InlineData("bytes=1-x")]
    [InlineData("bytes=--5")]
    public void RequestRange_Malformed_IsIgnored(string header)
    {
        Assert.Equal(RangeRequest.Whole, ByteRange.ParseRequestRange(header, 100));
    }
}
