namespace Nscr.Storage.S3;

/// <summary>One segment object of a staged object: bytes [Start, Start + Size) of it.</summary>
internal sealed record Segment(string Key, long Start, long Size)
{
    public long End => Start + Size;
}

/// <summary>
/// What a listing of <c>uploads/&lt;id&gt;/</c> says about a staged object. The content is the chain of segments
/// from offset 0, each starting where the previous one ends. Where two segments start at the same offset (a crash
/// between writing a trimmed copy and deleting what it replaces) the shorter wins: it is the newer, cut-back state.
/// Segments off the chain are leftovers of interrupted writes, deleted by the next write, commit or delete.
/// </summary>
internal sealed class StagedLayout
{
    private StagedLayout(bool exists, IReadOnlyList<Segment> chain, IReadOnlyList<string> leftovers, IReadOnlyList<string> allKeys, DateTimeOffset lastModified)
    {
        Exists = exists;
        Chain = chain;
        Leftovers = leftovers;
        AllKeys = allKeys;
        LastModified = lastModified;
        Length = chain.Count == 0 ? 0 : chain[^1].End;
    }

    /// <summary>The marker object is there: the staged object was created and not deleted.</summary>
    public bool Exists { get; }

    public IReadOnlyList<Segment> Chain { get; }

    public IReadOnlyList<string> Leftovers { get; }

    /// <summary>Every key under the staged object's prefix (marker, chain, leftovers and anything unrecognised).</summary>
    public IReadOnlyList<string> AllKeys { get; }

    public long Length { get; }

    public DateTimeOffset LastModified { get; }

    /// <summary>Builds the layout from (key, name after the id prefix, size, last modified) rows of one staged object.</summary>
    public static StagedLayout From(IEnumerable<(string Key, string Name, long Size, DateTimeOffset LastModified)> objects)
    {
        var exists = false;
        var lastModified = DateTimeOffset.MinValue;
        var allKeys = new List<string>();
        var byStart = new Dictionary<long, List<Segment>>();
        var leftovers = new List<string>();
        foreach (var (key, name, size, modified) in objects)
        {
            allKeys.Add(key);
            if (modified > lastModified) lastModified = modified;
            if (S3Keys.IsMarker(name))
            {
                exists = true;
            }
            else if (S3Keys.TryParseSegment(name, out var start) && size > 0)
            {
                if (!byStart.TryGetValue(start, out var atStart)) byStart[start] = atStart = [];
                atStart.Add(new Segment(key, start, size));
            }
            else
            {
                leftovers.Add(key);
            }
        }

        var chain = new List<Segment>();
        for (long position = 0; byStart.Remove(position, out var candidates);)
        {
            var chosen = candidates.MinBy(segment => segment.Size)!;
            chain.Add(chosen);
            leftovers.AddRange(candidates.Where(segment => segment != chosen).Select(segment => segment.Key));
            position = chosen.End;
        }
        leftovers.AddRange(byStart.Values.SelectMany(segments => segments).Select(segment => segment.Key));
        return new StagedLayout(exists, chain, leftovers, allKeys, lastModified);
    }
}
