using System.Collections.Frozen;

namespace Nscr.Oci;

/// <summary>Error codes of the OCI distribution spec (plus Distribution's TAG_INVALID, RANGE_INVALID, PAGINATION_NUMBER_INVALID, TOOMANYREQUESTS and UNAVAILABLE, and nscr's INSUFFICIENT_STORAGE).</summary>
public enum OciErrorCode
{
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    TagInvalid,
    RangeInvalid,
    Unauthorized,
    Denied,
    Unsupported,
    TooManyRequests,
    PaginationNumberInvalid,
    /// <summary>A manifest over the size limit: MANIFEST_INVALID, answered 413 as the spec recommends.</summary>
    ManifestTooLarge,
    /// <summary>More <c>tag</c> query parameters than one manifest PUT may set: TAG_INVALID, answered 414 as the spec allows.</summary>
    TooManyTags,
    /// <summary>The cluster cannot serve the request right now (a silo is down or unreachable): retry.</summary>
    Unavailable,
    /// <summary>The registry's storage (blob store or metadata database) is full: free space and retry.</summary>
    InsufficientStorage,
    Unknown,
}

/// <summary>The one table mapping each error code to its wire name and HTTP status.</summary>
public static class OciErrors
{
    public sealed record Entry(string Code, int Status, string Message);

    private static readonly FrozenDictionary<OciErrorCode, Entry> Table = new Dictionary<OciErrorCode, Entry>
    {
        [OciErrorCode.BlobUnknown] = new("BLOB_UNKNOWN", 404, "blob unknown to registry"),
        [OciErrorCode.BlobUploadInvalid] = new("BLOB_UPLOAD_INVALID", 400, "blob upload invalid"),
        [OciErrorCode.BlobUploadUnknown] = new("BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry"),
        [OciErrorCode.DigestInvalid] = new("DIGEST_INVALID", 400, "provided digest did not match uploaded content"),
        [OciErrorCode.ManifestBlobUnknown] = new("MANIFEST_BLOB_UNKNOWN", 400, "manifest references a manifest or blob unknown to registry"),
        [OciErrorCode.ManifestInvalid] = new("MANIFEST_INVALID", 400, "manifest invalid"),
        [OciErrorCode.ManifestUnknown] = new("MANIFEST_UNKNOWN", 404, "manifest unknown to registry"),
        [OciErrorCode.NameInvalid] = new("NAME_INVALID", 400, "invalid repository name"),
        [OciErrorCode.NameUnknown] = new("NAME_UNKNOWN", 404, "repository name not known to registry"),
        [OciErrorCode.SizeInvalid] = new("SIZE_INVALID", 400, "provided length did not match content length"),
        [OciErrorCode.TagInvalid] = new("TAG_INVALID", 400, "manifest tag did not match URI"),
        [OciErrorCode.RangeInvalid] = new("RANGE_INVALID", 416, "invalid content range"),
        [OciErrorCode.Unauthorized] = new("UNAUTHORIZED", 401, "authentication required"),
        [OciErrorCode.Denied] = new("DENIED", 403, "requested access to the resource is denied"),
        [OciErrorCode.Unsupported] = new("UNSUPPORTED", 405, "the operation is unsupported"),
        [OciErrorCode.TooManyRequests] = new("TOOMANYREQUESTS", 429, "too many requests"),
        [OciErrorCode.PaginationNumberInvalid] = new("PAGINATION_NUMBER_INVALID", 400, "invalid number of results requested"),
        [OciErrorCode.ManifestTooLarge] = new("MANIFEST_INVALID", 413, "manifest too large"),
        [OciErrorCode.TooManyTags] = new("TAG_INVALID", 414, "too many tags in one request"),
        [OciErrorCode.Unavailable] = new("UNAVAILABLE", 503, "service unavailable"),
        [OciErrorCode.InsufficientStorage] = new("INSUFFICIENT_STORAGE", 507, "the registry's storage is full (no space left on device): the request was not carried out; free space and retry"),
        [OciErrorCode.Unknown] = new("UNKNOWN", 500, "unknown error"),
    }.ToFrozenDictionary();

    public static Entry Get(OciErrorCode code) => Table[code];

    public static IEnumerable<KeyValuePair<OciErrorCode, Entry>> All => Table;
}
