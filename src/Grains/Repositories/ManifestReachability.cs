using Nscr.Oci;

namespace Nscr.Grains.Repositories;

/// <summary>
/// The manifests a repository keeps: the roots (tagged, recently pushed, or every manifest when untagged ones are not
/// collected), the children of kept indexes, and the referrers of kept subjects, transitively. The result is closed
/// under "child of": a kept index never loses a child, so deleting the rest strands nothing.
/// </summary>
internal static class ManifestReachability
{
    public static HashSet<Digest> Reachable(IReadOnlyDictionary<Digest, ManifestRecord> manifests, IEnumerable<Digest> roots)
    {
        var referrersBySubject = manifests.Values
            .Where(m => m.Subject is not null)
            .ToLookup(m => m.Subject!.Value, m => m.Digest);
        var reachable = new HashSet<Digest>();
        var pending = new Stack<Digest>(roots.Where(manifests.ContainsKey));
        while (pending.TryPop(out var digest))
        {
            if (!reachable.Add(digest)) continue;
            foreach (var child in manifests[digest].Children)
            {
                if (manifests.ContainsKey(child)) pending.Push(child);
            }
            foreach (var referrer in referrersBySubject[digest]) pending.Push(referrer);
        }
        return reachable;
    }
}
