using System.Globalization;
using Nscr.Grains;

namespace Nscr.Gateway.Api;

/// <summary>
/// The query of <c>GET /api/repositories</c>: <c>q</c> (case-insensitive substring of the name), <c>sort</c>
/// (name|size|tags|pushed|pulled), <c>order</c> (asc|desc; asc by default for names, desc for the others), <c>n</c> and
/// either <c>offset</c> (any order) or <c>last</c> (the name cursor of name order, what the CLI follows).
/// </summary>
public static class RepositoryListQuery
{
    public static RepositoryListRequest FromQuery(HttpContext context)
    {
        var query = context.Request.Query;
        var sortText = query["sort"].ToString();
        var sort = sortText.Length == 0 ? RepositorySort.Name : sortText switch
        {
            "name" => RepositorySort.Name,
            "size" => RepositorySort.Size,
            "tags" => RepositorySort.Tags,
            "pushed" => RepositorySort.Pushed,
            "pulled" => RepositorySort.Pulled,
            _ => throw ApiException.InvalidParameter($"query parameter 'sort' must be name, size, tags, pushed or pulled, not '{Clip(sortText)}'"),
        };
        var orderText = query["order"].ToString();
        var descending = orderText switch
        {
            "" => sort != RepositorySort.Name,
            "asc" => false,
            "desc" => true,
            _ => throw ApiException.InvalidParameter($"query parameter 'order' must be asc or desc, not '{Clip(orderText)}'"),
        };
        var offsetText = query["offset"].ToString();
        var offset = 0;
        if (offsetText.Length > 0 && (!int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            throw ApiException.InvalidParameter($"query parameter 'offset' must be a number, 0 or more, not '{Clip(offsetText)}'");
        }
        var page = ApiPage.FromQuery(context);
        if (page.Last is not null && sort != RepositorySort.Name)
        {
            throw ApiException.InvalidParameter("query parameter 'last' pages name order only; use 'offset' with another sort");
        }
        if (page.Last is not null && offset > 0)
        {
            throw ApiException.InvalidParameter("give either 'last' or 'offset', not both");
        }
        return new RepositoryListRequest(query["q"].ToString(), sort, descending, page.Size, page.Last, offset);
    }

    private static string Clip(string text) => text[..Math.Min(text.Length, 40)];
}
