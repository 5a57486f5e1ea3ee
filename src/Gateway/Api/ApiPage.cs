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
}
