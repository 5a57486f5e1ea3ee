using System.Globalization;

namespace Nscr.Gateway.Api;

/// <summary>
/// The admin API's pagination: <c>n</c> (page size, default <see cref="DefaultSize"/>, at most <see cref="MaxSize"/>) and
/// <c>last</c> (the last name of the previous page). A full page answers <c>"next"</c>: the <c>last</c> of the next page.
/// </summary>
public readonly record struct ApiPage(int Size, string? Last)
{
    public const int DefaultSize = 100;

    public const int MaxSize = 1000;

    public static ApiPage FromQuery(HttpContext context)
    {
        var query = context.Request.Query;
        var size = DefaultSize;
        var n = query["n"].ToString();
        if (n.Length > 0 && (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1))
        {
            throw ApiException.InvalidParameter($"query parameter 'n' must be a positive number, not '{n}'");
        }
        var last = query["last"].ToString();
        return new ApiPage(Math.Min(size, MaxSize), last.Length > 0 ? last : null);
    }

    /// <summary>The same query with <c>last</c> set to the cursor (RFC 8288, as <c>/v2/_catalog</c> does).</summary>
    public static string NextLink(HttpContext context, string path, string next)
    {
        var parameters = context.Request.Query
            .Where(p => p.Key is not ("last" or "offset"))
            .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"last={Uri.EscapeDataString(next)}");
        return $"<{path}?{string.Join('&', parameters)}>; rel=\"next\"";
    }
}
