using Nscr.Oci;

namespace Nscr.Grains.Interfaces.Tests.Oci;

public sealed class OciErrorsTests
{
    [Fact]
    public void EveryCode_HasAnEntry_WithAnUppercaseWireCodeAndAMessage()
    {
        foreach (var code in Enum.GetValues<OciErrorCode>())
        {
            var entry = OciErrors.Get(code);
            Assert.Matches("^[A-Z_]+$", entry.Code);
            Assert.False(string.IsNullOrWhiteSpace(entry.Message), $"{code} has no message");
        }
        Assert.Equal(Enum.GetValues<OciErrorCode>().Length, OciErrors.All.Count());
    }

    /// <summary>
    /// Wire codes from the spec's table (plus Distribution's TAG_INVALID, RANGE_INVALID, PAGINATION_NUMBER_INVALID,
    /// UNKNOWN) and the statuses Distribution registers for them. One deliberate divergence: Distribution answers
    /// BLOB_UPLOAD_INVALID with 404, which reads as "start again"; the spec lists 400 for a failed upload PUT.
    /// </summary>
    [Theory]
    [InlineData(OciErrorCode.BlobUnknown, "BLOB_UNKNOWN", 404)]
    [InlineData(OciErrorCode.BlobUploadInvalid, "BLOB_UPLOAD_INVALID", 400)]
    [InlineData(OciErrorCode.BlobUploadUnknown, "BLOB_UPLOAD_UNKNOWN", 404)]
    [InlineData(OciErrorCode.DigestInvalid, "DIGEST_INVALID", 400)]
    [InlineData(OciErrorCode.ManifestBlobUnknown, "MANIFEST_BLOB_UNKNOWN", 400)]
    [InlineData(OciErrorCode.ManifestInvalid, "MANIFEST_INVALID", 400)]
    [InlineData(OciErrorCode.ManifestUnknown, "MANIFEST_UNKNOWN", 404)]
    [InlineData(OciErrorCode.NameInvalid, "NAME_INVALID", 400)]
    [InlineData(OciErrorCode.NameUnknown, "NAME_UNKNOWN", 404)]
    [InlineData(OciErrorCode.SizeInvalid, "SIZE_INVALID", 400)]
    [InlineData(OciErrorCode.TagInvalid, "TAG_INVALID", 400)]
    [InlineData(OciErrorCode.RangeInvalid, "RANGE_INVALID", 416)]
    [InlineData(OciErrorCode.Unauthorized, "UNAUTHORIZED", 401)]
    [InlineData(OciErrorCode.Denied, "DENIED", 403)]
    [InlineData(OciErrorCode.Unsupported, "UNSUPPORTED", 405)]
    [InlineData(OciErrorCode.TooManyRequests, "TOOMANYREQUESTS", 429)]
    [InlineData(OciErrorCode.PaginationNumberInvalid, "PAGINATION_NUMBER_INVALID", 400)]
    [InlineData(OciErrorCode.ManifestTooLarge, "MANIFEST_INVALID", 413)]
    [InlineData(OciErrorCode.TooManyTags, "TAG_INVALID", 414)]
    [InlineData(OciErrorCode.Unavailable, "UNAVAILABLE", 503)]
    [InlineData(OciErrorCode.InsufficientStorage, "INSUFFICIENT_STORAGE", 507)]
    [InlineData(OciErrorCode.Unknown, "UNKNOWN", 500)]
    public void Entry_HasTheWireCodeAndStatus(OciErrorCode code, string wire, int status)
    {
        var entry = OciErrors.Get(code);

        Assert.Equal(wire, entry.Code);
        Assert.Equal(status, entry.Status);
    }

    [Fact]
    public void WireCodes_AreUnique_ExceptTheTooLargeVariantsOfManifestInvalidAndTagInvalid()
    {
        var duplicates = OciErrors.All
            .GroupBy(e => e.Value.Code)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToArray();

        Assert.Equal(["MANIFEST_INVALID", "TAG_INVALID"], duplicates);
    }

    [Fact]
    public void OciException_CarriesCodeMessageAndDetail()
    {
        var error = new OciException(OciErrorCode.BlobUnknown, "gone", "sha256:x");

        Assert.Equal(OciErrorCode.BlobUnknown, error.Code);
        Assert.Equal("gone", error.Message);
        Assert.Equal("sha256:x", error.Detail);
    }
}
