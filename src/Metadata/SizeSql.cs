namespace Nscr.Metadata;

/// <summary>
/// The SQL of a repository's bytes, shared by the writer that keeps <c>size_bytes</c> and the readers of unique bytes.
/// A repository stands on its manifests (sized by their rows) and on the blobs they reference (sized by
/// <c>nscr_blobs</c>), each digest once.
/// </summary>
internal static class SizeSql
{
    /// <summary>The bytes <paramref name="repository"/> (an SQL expression) stands on: a scan of its own rows only.</summary>
    public static string SizeOf(string repository) => $"""
        ((SELECT COALESCE(SUM(sm.size), 0) FROM nscr_manifests sm WHERE sm.repository = {repository})
         + (SELECT COALESCE(SUM(sb.size), 0) FROM nscr_blobs sb
            WHERE sb.digest IN (SELECT smb.blob FROM nscr_manifest_blobs smb WHERE smb.repository = {repository})
              AND NOT EXISTS (SELECT 1 FROM nscr_manifests sx WHERE sx.repository = {repository} AND sx.digest = sb.digest)))
        """;

    /// <summary>
    /// Whether a repository other than <paramref name="repository"/> stands on <paramref name="digest"/> (SQL
    /// expressions), as a blob or as a manifest.
    /// </summary>
    public static string HeldElsewhere(string digest, string repository) =>
        $"({BlobHeldElsewhere(digest, repository)} OR {ManifestHeldElsewhere(digest, repository)})";

    /// <summary>
    /// Whether a manifest of another repository references blob <paramref name="digest"/>. Two index ranges, one each
    /// side of the repository, so its own entries (a base layer under 10,000 manifests of one repository) are never
    /// scanned.
    /// </summary>
    public static string BlobHeldElsewhere(string digest, string repository) => $"""
        (EXISTS (SELECT 1 FROM nscr_manifest_blobs o WHERE o.blob = {digest} AND o.repository < {repository})
         OR EXISTS (SELECT 1 FROM nscr_manifest_blobs o WHERE o.blob = {digest} AND o.repository > {repository}))
        """;

    /// <summary>Whether another repository holds manifest <paramref name="digest"/> (the same two index ranges).</summary>
    public static string ManifestHeldElsewhere(string digest, string repository) => $"""
        (EXISTS (SELECT 1 FROM nscr_manifests o WHERE o.digest = {digest} AND o.repository < {repository})
         OR EXISTS (SELECT 1 FROM nscr_manifests o WHERE o.digest = {digest} AND o.repository > {repository}))
        """;

    /// <summary><c>@p0, @p1, …</c> for <paramref name="values"/>, adding the parameters (callers skip empty lists).</summary>
    public static string List(string prefix, IEnumerable<string> values, List<(string, object?)> parameters)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = $"@{prefix}{names.Count}";
            names.Add(name);
            parameters.Add((name, value));
        }
        return string.Join(", ", names);
    }
}
