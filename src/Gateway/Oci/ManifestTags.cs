using Nscr.Oci;

namespace Nscr.Gateway.Oci;

/// <summary>
/// The tags a manifest PUT sets: the reference when it is a tag, else the <c>tag</c> query parameters of a PUT by
/// digest (distribution-spec main, beyond v1.1.1). Checked before the body is read, so a bad one changes nothing.
/// </summary>
public static class ManifestTags
{
    /// <summary>The spec asks for at least 10 per request; beyond this the PUT is refused with 414.</summary>
    public const int MaxPerRequest = 100;

    public const string QueryParameter = "tag";

    public const string ResponseHeader = "OCI-Tag";

    /// <exception cref="OciException">
    /// TAG_INVALID (400) when one is not a tag or the reference is a tag too; TAG_INVALID (414) beyond <see cref="MaxPerRequest"/>.
    /// </exception>
    public static IReadOnlyList<string> FromRequest(IQueryCollection query, Reference reference)
    {
        if (!query.TryGetValue(QueryParameter, out var values)) return reference.Tag is { } tag ? [tag] : [];
        if (reference.Tag is not null)
        {
            throw new OciException(OciErrorCode.TagInvalid, "tag query parameters need a PUT by digest, not by tag");
        }
        if (values.Count > MaxPerRequest)
        {
            throw new OciException(OciErrorCode.TooManyTags, $"{values.Count} tags in one request; at most {MaxPerRequest}");
        }
        return values.Select(value => Reference.ValidTag(value ?? "")).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>True when the request asked for tags through the query (the response then names each one).</summary>
    public static bool Requested(IQueryCollection query) => query.ContainsKey(QueryParameter);
}
