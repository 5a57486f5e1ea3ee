using System.Globalization;
using Nscr.Oci;

namespace Nscr.Gateway.Oci.Http;

/// <summary>The <c>n</c> and <c>last</c> query parameters of tag and catalog listings, and the <c>Link</c> header.</summary>
public readonly record struct Pagination(int Count, string? Last)
{
    /// <summary>Listings never return more than this per page, whatever <c>n</c> asks.</summary>
    public const int MaxPageSize = 10_000;

    public static Pagination FromQuery(OciQuery query)
    {
        var count = MaxPageSize;
        if (!string.IsNullOrEmpty(query.Count))
        {
            if (!int.TryParse(query.Count, NumberStyles.None, CultureInfo.InvariantCulture, out count))
            {
                throw new OciException(OciErrorCode.PaginationNumberInvalid, $"invalid page size n='{query.Count}'");
            }
            count = Math.Min(count, MaxPageSize);
        }
        return new Pagination(count, string.IsNullOrEmpty(query.Last) ? null : query.Last);
    }

    /// <summary>Adds <c>Link: &lt;path?last=…&amp;n=…&gt;; rel="next"</c> when the page is full.</summary>
    public void AddNextLink(HttpResponse response, string path, IReadOnlyList<string> page, bool hasMore)
    {
        if (!hasMore || page.Count == 0) return;
        var next = $"{path}?last={Uri.EscapeDataString(page[^1])}&n={Count}";
        response.Headers.Link = $"<{next}>; rel=\"next\"";
    }
}
