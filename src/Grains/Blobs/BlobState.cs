namespace Nscr.Grains.Blobs;

[GenerateSerializer]
[Alias("nscr.BlobState")]
public sealed class BlobState
{
    [Id(0)] public bool Committed { get; set; }
    [Id(1)] public long Size { get; set; }
    [Id(2)] public DateTimeOffset CommittedAt { get; set; }
    /// <summary>Last upload, mount, reference or read, persisted lazily (see <see cref="BlobGrain.TouchPersistInterval"/>).</summary>
    [Id(3)] public DateTimeOffset LastTouched { get; set; }
    /// <summary>Repositories the blob was uploaded or mounted to: where /v2/&lt;name&gt;/blobs/ shows it.</summary>
    [Id(4)] public HashSet<string> Repositories { get; set; } = new(StringComparer.Ordinal);
}
