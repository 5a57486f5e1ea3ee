using System.Data.Common;
using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Metadata;

/// <summary>
/// The web UI's tag page, read by key range: a page of tags with their manifests, what pulling each downloads (the
/// manifest, its children and their blobs, once each), the part of it no other tag here or in another repository
/// stands on, the last pull and the referrers. A few queries per page, each over the page's own rows and index
/// lookups, whatever the repository or the registry holds.
/// </summary>
public sealed partial class RepositoryRows
{
    /// <summary>Pairs (tag, digest) per exclusivity query: two parameters each, well under either database's limit.</summary>
    private const int PairsPerQuery = 2000;

    /// <summary>Up to <paramref name="count"/> tags after <paramref name="last"/>, in code-point order (empty past the end).</summary>
    public Task<IReadOnlyList<TagView>> TagPageAsync(string repository, string? last, int count, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<TagView>>(async connection =>
        {
            var columns = string.Join(", ", ManifestColumns.Split(", ").Select(c => "m." + c));
            var tagged = await Sql.ListAsync(connection, null,
                $"SELECT {columns}, t.name, t.tagged_at FROM nscr_tags t JOIN nscr_manifests m ON m.repository = t.repository AND m.digest = t.manifest " +
                "WHERE t.repository = @r AND t.name > @last ORDER BY t.name LIMIT @n;",
                r => (Row: ReadManifest(r), Tag: r.GetString(9), TaggedAt: Sql.Time(r.GetInt64(10))),
                cancellationToken, ("@r", repository), ("@last", last ?? ""), ("@n", count));
            if (tagged.Count == 0) return [];

            var manifests = new Dictionary<string, (long Size, DateTimeOffset? PulledAt)>(StringComparer.Ordinal);
            foreach (var (row, _, _) in tagged) manifests[row.Manifest.Digest.ToString()] = (row.Manifest.Size, row.PulledAt);
            var children = await ChildrenAsync(connection, repository, manifests, cancellationToken);
            var blobs = await BlobsOfAsync(connection, repository, manifests.Keys, cancellationToken);

            var closures = tagged.Select(t => Closure(t.Row.Manifest.Digest.ToString(), manifests, children, blobs)).ToArray();
            var pairs = tagged.SelectMany((t, i) => closures[i].Keys.Select(d => (t.Tag, Digest: d))).ToArray();
            var exclusive = await ExclusiveAsync(connection, repository, pairs, cancellationToken);
            var referrers = await ReferrersOfAsync(connection, repository, tagged.Select(t => t.Row.Manifest.Digest.ToString()), cancellationToken);

            return tagged.Select((t, i) =>
            {
                var closure = closures[i];
                var manifest = t.Row.Manifest;
                return new TagView(t.Tag, manifest, t.TaggedAt, closure.Values.Sum(),
                    closure.Where(d => exclusive.Contains((t.Tag, d.Key))).Sum(d => d.Value))
                {
                    LastPulledAt = closure.Keys.Select(d => manifests.TryGetValue(d, out var m) ? m.PulledAt : null).Max(),
                    Referrers = referrers[manifest.Digest].ToArray(),
                };
            }).ToArray();
        }, cancellationToken);

    /// <summary>The child manifests of <paramref name="manifests"/>, level by level, added to it; parent → children.</summary>
    private static async Task<Dictionary<string, List<string>>> ChildrenAsync(DbConnection connection, string repository,
        Dictionary<string, (long Size, DateTimeOffset? PulledAt)> manifests, CancellationToken cancellationToken)
    {
        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var frontier = manifests.Keys.ToArray();
        while (frontier.Length > 0)
        {
            var parameters = new List<(string, object?)> { ("@r", repository) };
            var rows = await Sql.ListAsync(connection, null,
                "SELECT c.parent, c.child, m.size, m.pulled_at FROM nscr_manifest_children c " +
                "JOIN nscr_manifests m ON m.repository = c.repository AND m.digest = c.child " +
                $"WHERE c.repository = @r AND c.parent IN ({SizeSql.List("p", frontier, parameters)});",
                r => (Parent: r.GetString(0), Child: r.GetString(1), Size: r.GetInt64(2), PulledAt: Sql.NullableTime(r, 3)),
                cancellationToken, [.. parameters]);
            var next = new List<string>();
            foreach (var row in rows)
            {
                if (!children.TryGetValue(row.Parent, out var list)) children[row.Parent] = list = [];
                list.Add(row.Child);
                if (manifests.TryAdd(row.Child, (row.Size, row.PulledAt))) next.Add(row.Child);
            }
            frontier = [.. next];
        }
        return children;
    }

    /// <summary>The blobs each manifest references, with their sizes (0 for one not in <c>nscr_blobs</c>).</summary>
    private static async Task<ILookup<string, (string Blob, long Size)>> BlobsOfAsync(DbConnection connection, string repository,
        IEnumerable<string> manifests, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, object?)> { ("@r", repository) };
        var rows = await Sql.ListAsync(connection, null,
            "SELECT mb.manifest, mb.blob, COALESCE(b.size, 0) FROM nscr_manifest_blobs mb LEFT JOIN nscr_blobs b ON b.digest = mb.blob " +
            $"WHERE mb.repository = @r AND mb.manifest IN ({SizeSql.List("m", manifests, parameters)});",
            r => (Manifest: r.GetString(0), Blob: r.GetString(1), Size: r.GetInt64(2)), cancellationToken, [.. parameters]);
        return rows.ToLookup(r => r.Manifest, r => (r.Blob, r.Size), StringComparer.Ordinal);
    }

    /// <summary>Every digest pulling <paramref name="root"/> downloads, with its size.</summary>
    private static Dictionary<string, long> Closure(string root, Dictionary<string, (long Size, DateTimeOffset? PulledAt)> manifests,
        Dictionary<string, List<string>> children, ILookup<string, (string Blob, long Size)> blobs)
    {
        var closure = new Dictionary<string, long>(StringComparer.Ordinal);
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var digest))
        {
            if (!closure.TryAdd(digest, manifests[digest].Size)) continue;
            foreach (var (blob, size) in blobs[digest]) closure.TryAdd(blob, size);
            foreach (var child in children.GetValueOrDefault(digest) ?? []) pending.Push(child);
        }
        return closure;
    }

    /// <summary>
    /// The pairs whose digest no other tag of the repository stands on (through its manifest or an index listing it)
    /// and no other repository stands on. Nested EXISTS, so both databases go from the digest to the few manifests on
    /// it and then to their tags, never through every tag of the repository.
    /// </summary>
    private static async Task<HashSet<(string Tag, string Digest)>> ExclusiveAsync(DbConnection connection, string repository,
        IReadOnlyList<(string Tag, string Digest)> pairs, CancellationToken cancellationToken)
    {
        var exclusive = new HashSet<(string, string)>();
        foreach (var chunk in pairs.Chunk(PairsPerQuery))
        {
            var parameters = new List<(string, object?)> { ("@r", repository) };
            var values = string.Join(", ", chunk.Select((p, i) =>
            {
                parameters.Add(($"@t{i}", p.Tag));
                parameters.Add(($"@d{i}", p.Digest));
                return $"(@t{i}, @d{i})";
            }));
            var rows = await Sql.ListAsync(connection, null, $"""
                WITH pairs (tag, digest) AS (VALUES {values})
                SELECT p.tag, p.digest FROM pairs p WHERE NOT (
                    EXISTS (SELECT 1 FROM nscr_tags t WHERE t.repository = @r AND t.manifest = p.digest AND t.name <> p.tag)
                    OR EXISTS (SELECT 1 FROM nscr_manifest_blobs mb WHERE mb.blob = p.digest AND mb.repository = @r
                               AND EXISTS (SELECT 1 FROM nscr_tags t WHERE t.repository = @r AND t.manifest = mb.manifest AND t.name <> p.tag))
                    OR EXISTS (SELECT 1 FROM nscr_manifest_children c WHERE c.repository = @r AND c.child = p.digest
                               AND EXISTS (SELECT 1 FROM nscr_tags t WHERE t.repository = @r AND t.manifest = c.parent AND t.name <> p.tag))
                    OR EXISTS (SELECT 1 FROM nscr_manifest_blobs mb WHERE mb.blob = p.digest AND mb.repository = @r
                               AND EXISTS (SELECT 1 FROM nscr_manifest_children c WHERE c.repository = @r AND c.child = mb.manifest
                                           AND EXISTS (SELECT 1 FROM nscr_tags t WHERE t.repository = @r AND t.manifest = c.parent AND t.name <> p.tag)))
                    OR {SizeSql.HeldElsewhere("p.digest", "@r")});
                """, r => (r.GetString(0), r.GetString(1)), cancellationToken, [.. parameters]);
            exclusive.UnionWith(rows);
        }
        return exclusive;
    }

    /// <summary>The referrers of each of <paramref name="subjects"/>, oldest push first.</summary>
    private static async Task<ILookup<Digest, Descriptor>> ReferrersOfAsync(DbConnection connection, string repository,
        IEnumerable<string> subjects, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, object?)> { ("@r", repository) };
        var rows = await Sql.ListAsync(connection, null,
            "SELECT subject, media_type, digest, size, artifact_type, annotations FROM nscr_manifests " +
            $"WHERE repository = @r AND subject IN ({SizeSql.List("s", subjects.Distinct(StringComparer.Ordinal), parameters)}) ORDER BY pushed_at, digest;",
            r => (Subject: Digest.Parse(r.GetString(0)), Referrer: new Descriptor(r.GetString(1), Digest.Parse(r.GetString(2)), r.GetInt64(3))
            {
                ArtifactType = Sql.NullableString(r, 4),
                Annotations = Annotations.Read(Sql.NullableString(r, 5)),
            }),
            cancellationToken, [.. parameters]);
        return rows.ToLookup(r => r.Subject, r => r.Referrer);
    }
}
