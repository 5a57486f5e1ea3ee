using Nscr.Grains.Gc;
using Nscr.Oci;

namespace Nscr.Grains.Repositories;

/// <summary>Which tags a retention rule lets go (see <see cref="RetentionRule"/> for the semantics).</summary>
internal static class TagRetention
{
    public static IReadOnlyList<string> TagsToDelete(
        IReadOnlyDictionary<string, Digest> tags, Func<string, DateTimeOffset> taggedAt, RetentionRule? rule, DateTimeOffset now)
    {
        if (rule is null || !rule.PrunesTags || tags.Count == 0) return [];
        var newestFirst = tags.Keys.OrderByDescending(taggedAt).ThenBy(t => t, StringComparer.Ordinal).ToArray();
        var doomed = new List<string>();
        for (var rank = 0; rank < newestFirst.Length; rank++)
        {
            var tag = newestFirst[rank];
            var kept = (rule.KeepNewest is { } newest && rank < newest)
                || (rule.DeleteOlderThan is { } age && now - taggedAt(tag) < age)
                || rule.KeepTags.Any(pattern => Glob.IsMatch(pattern, tag));
            if (!kept) doomed.Add(tag);
        }
        return doomed;
    }
}
