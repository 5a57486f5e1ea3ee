namespace Nscr.Gateway.Oci.Http;

/// <summary>
/// The query parameters of a /v2/ request, parsed once and kept as a request feature, so the auth middleware and the
/// endpoints decide on exactly the same values (a second parse with other rules is how a mount once slipped past the
/// authorization check). Names match exactly as the spec spells them (<c>mount</c>, <c>from</c>, <c>digest</c>,
/// <c>n</c>, <c>last</c>, <c>artifactType</c>), as in Distribution; any other spelling (<c>MOUNT</c>) is an unknown
/// parameter and ignored. A repeated parameter counts once: its first value. Null means absent.
/// </summary>
public sealed record OciQuery(string? Mount, string? From, string? Digest, string? Count, string? Last, string? ArtifactType)
{
    public static readonly OciQuery Empty = new(null, null, null, null, null, null);

    /// <summary>This request's parse: the one set earlier in the pipeline, or a new one (then kept for later readers).</summary>
    public static OciQuery Of(HttpContext context)
    {
        if (context.Features.Get<OciQuery>() is { } parsed) return parsed;
        var query = Parse(context.Request.QueryString.Value);
        context.Features.Set(query);
        return query;
    }

    /// <summary>Replaces this request's parse (the auth middleware dropping a mount the caller may not make).</summary>
    public void SetOn(HttpContext context) => context.Features.Set(this);

    /// <summary>A query string (with or without its leading '?') in the form encoding: '&amp;'-separated, '+' is a space.</summary>
    public static OciQuery Parse(string? queryString)
    {
        var query = Empty;
        if (string.IsNullOrEmpty(queryString)) return query;
        foreach (var pair in queryString.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            query = name switch
            {
                "mount" when query.Mount is null => query with { Mount = value },
                "from" when query.From is null => query with { From = value },
                "digest" when query.Digest is null => query with { Digest = value },
                "n" when query.Count is null => query with { Count = value },
                "last" when query.Last is null => query with { Last = value },
                "artifactType" when query.ArtifactType is null => query with { ArtifactType = value },
                _ => query,
            };
        }
        return query;
    }

    /// <summary>The same request without its mount: an ordinary upload start.</summary>
    public OciQuery WithoutMount() => this with { Mount = null, From = null };

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
