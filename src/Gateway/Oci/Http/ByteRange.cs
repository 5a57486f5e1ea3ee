using System.Globalization;

namespace Nscr.Gateway.Oci.Http;

/// <summary>An inclusive byte range <c>start-end</c>.</summary>
public readonly record struct ByteRange(long Start, long End)
{
    public long Length => End - Start + 1;

    /// <summary>
    /// Parses an upload's <c>Content-Range</c>: <c>start-end</c> as the OCI spec writes it, also accepting the
    /// RFC 9110 form <c>bytes start-end/total</c>. False when malformed, negative, reversed or beyond its total.
    /// </summary>
    public static bool TryParseContentRange(string? value, out ByteRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(value)) return false;
        var text = value.Trim();
        if (text.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase)) text = text[6..].TrimStart();
        var slash = text.IndexOf('/');
        long? total = null;
        if (slash >= 0)
        {
            var totalText = text[(slash + 1)..];
            if (totalText != "*")
            {
                if (!TryParseNumber(totalText, out var length)) return false;
                total = length;
            }
            text = text[..slash];
        }
        var dash = text.IndexOf('-');
        // end < long.MaxValue keeps Length representable; a declared total must hold the range (RFC 9110 §14.4).
        if (dash <= 0 || !TryParseNumber(text[..dash], out var start) || !TryParseNumber(text[(dash + 1)..], out var end)
            || end < start || end == long.MaxValue || end >= total)
        {
            return false;
        }
        range = new ByteRange(start, end);
        return true;
    }

    /// <summary>
    /// Resolves a request <c>Range</c> header against a blob of <paramref name="length"/> bytes.
    /// Only a single range is honoured; several ranges are served as the whole blob (allowed by RFC 9110),
    /// and so is a malformed one (RFC 9110 §14.2: a syntactically invalid range set is ignored, not answered 416).
    /// </summary>
    public static RangeRequest ParseRequestRange(string? value, long length)
    {
        if (string.IsNullOrWhiteSpace(value)) return RangeRequest.Whole;
        var text = value.Trim();
        if (!text.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return RangeRequest.Whole;
        text = text[6..].Trim();
        if (text.Contains(',')) return RangeRequest.Whole;
        var dash = text.IndexOf('-');
        if (dash < 0) return RangeRequest.Whole;
        var first = text[..dash].Trim();
        var last = text[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            // Suffix range: the last N bytes.
            if (!TryParseNumber(last, out var suffix)) return RangeRequest.Whole;
            if (suffix == 0 || length == 0) return RangeRequest.Unsatisfiable;
            return RangeRequest.Of(new ByteRange(Math.Max(0, length - suffix), length - 1));
        }
        if (!TryParseNumber(first, out var start)) return RangeRequest.Whole;
        long? end = null;
        if (last.Length > 0)
        {
            if (!TryParseNumber(last, out var parsed) || parsed < start) return RangeRequest.Whole;
            end = parsed;
        }
        if (start >= length) return RangeRequest.Unsatisfiable;
        return RangeRequest.Of(new ByteRange(start, Math.Min(end ?? long.MaxValue, length - 1)));
    }

    private static bool TryParseNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}

/// <summary>What a GET with an optional Range header asks for.</summary>
public readonly record struct RangeRequest(ByteRange? Range, bool IsUnsatisfiable)
{
    public static readonly RangeRequest Whole = new(null, false);
    public static readonly RangeRequest Unsatisfiable = new(null, true);
    public static RangeRequest Of(ByteRange range) => new(range, false);
}
