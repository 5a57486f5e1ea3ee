using System.Globalization;

namespace Nscr.Gateway.Api.Live;

/// <summary>Query parameters the JSON views of the live feeds share: <c>after</c> (an id) and <c>limit</c>.</summary>
public readonly record struct FeedQuery(long? After, int Limit)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 5000;

    public static FeedQuery From(HttpContext context)
    {
        var query = context.Request.Query;
        long? after = null;
        if (query["after"].ToString() is { Length: > 0 } afterText)
        {
            if (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw ApiException.InvalidParameter($"query parameter 'after' must be an event id (a number ≥ 0), not '{Cut(afterText)}'");
            }
            after = id;
        }
        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            throw ApiException.InvalidParameter($"query parameter 'limit' must be a number from 1 to {MaxLimit}, not '{Cut(limitText)}'");
        }
        return new FeedQuery(after, limit);
    }

    /// <summary>
    /// The matching items after <see cref="After"/>, oldest first: the first <see cref="Limit"/> of them when
    /// <see cref="After"/> is given (to page forward), else the newest <see cref="Limit"/>.
    /// </summary>
    public IReadOnlyList<T> Select<T>(LiveFeed<T> feed, Func<T, bool> filter)
    {
        var matching = feed.After(After ?? 0).Select(i => i.Value).Where(filter);
        return After is null ? matching.TakeLast(Limit).ToList() : matching.Take(Limit).ToList();
    }

    public static string Cut(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
