using System.Collections.Concurrent;

namespace Nscr.Cli.Torture.Gc;

/// <summary>Which GC cycle deleted what, from the item lists of the reports the GC loop received: when a tagged
/// image loses a blob, the failure can name the cycle that took it (or say that no observed cycle did).</summary>
public sealed class GcLedger
{
    private const int Capacity = 1_000_000;

    private readonly ConcurrentDictionary<string, GcReport> _deletedBy = new(StringComparer.Ordinal);

    public void Record(GcReport report)
    {
        if (report.DryRun) return;
        foreach (var item in report.DeletedBlobItems.Concat(report.DeletedManifestItems))
        {
            if (_deletedBy.Count >= Capacity) return;
            _deletedBy[item] = report;
        }
    }

    /// <summary>The last observed cycle that deleted <paramref name="item"/> (a blob digest, or repository@digest).</summary>
    public GcReport? DeletedBy(string item) => _deletedBy.GetValueOrDefault(item);
}
