namespace Nscr.Storage.S3;

/// <summary>Bytes [From, From + Count) of a segment.</summary>
internal sealed record PartRange(Segment Segment, long From, long Count);

/// <summary>One part of the commit's multipart upload: a server-side copy of one range, or a re-upload of several.</summary>
internal sealed record PlannedPart(bool IsCopy, IReadOnlyList<PartRange> Ranges)
{
    public long Size => Ranges.Sum(range => range.Count);
}

/// <summary>
/// Splits a chain of segments into multipart parts. Every part but the last must hold at least 5 MiB: a segment
/// (or its rest) of that size is copied in the server; smaller pieces are gathered, across segments, into
/// re-uploaded parts of the stream part size, so memory stays one part buffer whatever the segments look like.
/// </summary>
internal sealed class CommitPlan
{
    private CommitPlan(List<PlannedPart> parts) => Parts = parts;

    public IReadOnlyList<PlannedPart> Parts { get; }

    public static CommitPlan Create(IReadOnlyList<Segment> chain, int partSize, bool copy)
    {
        var total = chain.Count == 0 ? 0 : chain[^1].End;
        // Re-uploaded parts grow past the part size only when S3's 10,000-part cap demands it (blobs over ~80 GiB).
        var streamPartSize = Math.Max(partSize, (total + S3BlobStore.MaxParts - 1) / S3BlobStore.MaxParts);
        var parts = new List<PlannedPart>();
        var pending = new List<PartRange>();
        long pendingBytes = 0;
        foreach (var segment in chain)
        {
            for (long position = 0; position < segment.Size;)
            {
                var remaining = segment.Size - position;
                if (copy && pendingBytes == 0 && remaining >= S3BlobStore.MinPartSize)
                {
                    var take = Math.Min(remaining, S3BlobStore.MaxCopySize);
                    parts.Add(new PlannedPart(true, [new PartRange(segment, position, take)]));
                    position += take;
                    continue;
                }
                var piece = Math.Min(remaining, streamPartSize - pendingBytes);
                pending.Add(new PartRange(segment, position, piece));
                pendingBytes += piece;
                position += piece;
                if (pendingBytes == streamPartSize)
                {
                    parts.Add(new PlannedPart(false, pending));
                    (pending, pendingBytes) = ([], 0);
                }
            }
        }
        if (pendingBytes > 0) parts.Add(new PlannedPart(false, pending));
        // Many copy parts can break the part cap where re-uploads would not: plan those instead.
        return parts.Count > S3BlobStore.MaxParts && copy ? Create(chain, partSize, copy: false) : new CommitPlan(parts);
    }
}
