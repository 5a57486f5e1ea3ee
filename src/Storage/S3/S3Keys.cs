using System.Globalization;
using Nscr.Oci;

namespace Nscr.Storage.S3;

/// <summary>
/// Where things live in the bucket (under the optional prefix):
/// <c>blobs/&lt;algorithm&gt;/&lt;first 2 hex&gt;/&lt;hex&gt;</c> for committed blobs, and per staged object
/// <c>uploads/&lt;id&gt;/created</c> (it exists) plus one segment object per write,
/// <c>uploads/&lt;id&gt;/&lt;start offset, 19 digits&gt;.&lt;write id&gt;</c> (zero-padded so keys sort by offset).
/// Only validated digests and staging ids ever become key segments.
/// </summary>
internal sealed class S3Keys(string prefix)
{
    private const string MarkerName = "created";
    private const int OffsetDigits = 19;

    public string Prefix { get; } = prefix;

    public string BlobsPrefix => Prefix + "blobs/";

    public string UploadsPrefix => Prefix + "uploads/";

    public string ProbesPrefix => Prefix + "probes/";

    public string Blob(Digest digest)
    {
        if (digest.Hex is null) throw new ArgumentException("default(Digest) names no blob", nameof(digest));
        return $"{BlobsPrefix}{digest.Algorithm}/{digest.Hex[..2]}/{digest.Hex}";
    }

    public string StagedPrefix(string stagingId)
    {
        StagingIds.ThrowIfInvalid(stagingId);
        return $"{UploadsPrefix}{stagingId}/";
    }

    public string Marker(string stagingId) => StagedPrefix(stagingId) + MarkerName;

    /// <summary>A fresh key for a segment starting at <paramref name="offset"/> (a new name per write: a trimmed copy never overwrites its source).</summary>
    public string NewSegment(string stagingId, long offset) =>
        $"{StagedPrefix(stagingId)}{offset.ToString(CultureInfo.InvariantCulture).PadLeft(OffsetDigits, '0')}.{Guid.NewGuid():N}";

    /// <summary>The digest a key under blobs/ stands for, when it sits where that digest belongs.</summary>
    public bool TryParseBlob(string key, out Digest digest)
    {
        digest = default;
        if (!key.StartsWith(BlobsPrefix, StringComparison.Ordinal)) return false;
        var parts = key[BlobsPrefix.Length..].Split('/');
        return parts.Length == 3 && parts[1].Length == 2 && parts[2].StartsWith(parts[1], StringComparison.Ordinal)
            && Digest.TryParse($"{parts[0]}:{parts[2]}", out digest);
    }

    /// <summary>Splits a key under uploads/ into its staging id and the name after it.</summary>
    public bool TryParseStaged(string key, out string stagingId, out string name)
    {
        stagingId = name = "";
        if (!key.StartsWith(UploadsPrefix, StringComparison.Ordinal)) return false;
        var rest = key[UploadsPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0) return false;
        stagingId = rest[..slash];
        name = rest[(slash + 1)..];
        return StagingIds.IsValid(stagingId) && name.Length > 0 && !name.Contains('/', StringComparison.Ordinal);
    }

    public static bool IsMarker(string name) => name == MarkerName;

    /// <summary>The start offset a segment name encodes.</summary>
    public static bool TryParseSegment(string name, out long offset)
    {
        offset = 0;
        return name.Length > OffsetDigits + 1 && name[OffsetDigits] == '.'
            && long.TryParse(name.AsSpan(0, OffsetDigits), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }
}
