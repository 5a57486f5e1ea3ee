namespace Nscr.Grains.Blobs;

/// <summary>
/// A blob as the previous release stored it (one serialized state per digest). Read only to move it into rows
/// (see <see cref="BlobGrain"/>'s upgrade); never written.
/// </summary>
[GenerateSerializer]
[Alias("nscr.BlobState")]
public sealed class BlobState
{
    [Id(0)] public bool Committed { get; set; }
    [Id(1)] public long Size { get; set; }
    [Id(2)] public DateTimeOffset CommittedAt { get; set; }
    [Id(3)] public DateTimeOffset LastTouched { get; set; }
    [Id(4)] public HashSet<string> Repositories { get; set; } = new(StringComparer.Ordinal);
}
