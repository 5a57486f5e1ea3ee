using System.Globalization;

namespace Nscr.Gateway.Api;

public enum RepositorySort
{
    Name,
    Size,
    Tags,
    Pushed,
    Pulled,
}

/// <summary>
/// The query of <c>GET /api/repositories</c>: <c>q</c> (case-insensitive substring of the name), <c>sort</c>
/// (name|size|tags|pushed|pulled), <c>order</c> (asc|desc; asc by default for names, desc for the others), <c>n</c> and
/// either <c>offset</c> (any order) or <c>last</c> (the name cursor of name order, what the CLI follows).
/// </summary>
public sealed record RepositoryListQuery(string Filter, RepositorySort Sort, bool Descending, ApiPage Page, int Offset)
{
    public static RepositoryListQuery FromQuery(HttpContext context)
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
        return new RepositoryListQuery(query["q"].ToString(), sort, descending, page, offset);
    }

    /// <summary>The filtered repositories in the asked order (ties by name), before paging.</summary>
    public IReadOnlyList<RepositoryUsage> Apply(IEnumerable<RepositoryUsage> repositories)
    {
        var matching = repositories.Where(r => r.Name.Contains(Filter, StringComparison.OrdinalIgnoreCase));
        var ordered = Sort switch
        {
            RepositorySort.Size => Order(matching, r => r.SizeBytes),
            RepositorySort.Tags => Order(matching, r => r.Summary.Tags),
            RepositorySort.Pushed => Order(matching, r => r.Summary.LastPushedAt),
            RepositorySort.Pulled => Order(matching, r => r.Summary.LastPulledAt ?? DateTimeOffset.MinValue),
            _ => Descending ? matching.OrderByDescending(r => r.Name, StringComparer.Ordinal) : matching.OrderBy(r => r.Name, StringComparer.Ordinal),
        };
        return ordered.ThenBy(r => r.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The rows of this page, the index of its first row, and whether more follow.</summary>
    public (IReadOnlyList<RepositoryUsage> Rows, int Start, bool More) Paginate(IReadOnlyList<RepositoryUsage> ordered)
    {
        var start = Offset;
        if (Page.Last is { } last)
        {
            // Name order: the first name past the cursor, in the direction of the order.
            start = 0;
            while (start < ordered.Count && (Descending
                ? string.CompareOrdinal(ordered[start].Name, last) >= 0
                : string.CompareOrdinal(ordered[start].Name, last) <= 0))
            {
                start++;
            }
        }
        var rows = ordered.Skip(start).Take(Page.Size).ToArray();
        return (rows, start, start + rows.Length < ordered.Count);
    }

    private IOrderedEnumerable<RepositoryUsage> Order<T>(IEnumerable<RepositoryUsage> items, Func<RepositoryUsage, T> key) =>
        Descending ? items.OrderByDescending(key) : items.OrderBy(key);

    private static string Clip(string text) => text[..Math.Min(text.Length, 40)];
}
