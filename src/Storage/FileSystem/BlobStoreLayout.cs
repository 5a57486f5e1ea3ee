using Nscr.Oci;

namespace Nscr.Storage.FileSystem;

/// <summary>
/// Where things live under the root: <c>blobs/&lt;algorithm&gt;/&lt;first 2 hex&gt;/&lt;hex&gt;</c> and
/// <c>uploads/&lt;staging id&gt;</c>. Only validated digests and staging ids ever become path segments.
/// </summary>
internal sealed class BlobStoreLayout(string rootDirectory)
{
    public string Root { get; } = Path.GetFullPath(rootDirectory);

    public string BlobsDirectory => Path.Combine(Root, "blobs");

    public string UploadsDirectory => Path.Combine(Root, "uploads");

    public string BlobPath(Digest digest)
    {
        if (digest.Hex is null) throw new ArgumentException("default(Digest) names no blob", nameof(digest));
        return Path.Combine(BlobsDirectory, digest.Algorithm, digest.Hex[..2], digest.Hex);
    }

    public string StagedPath(string stagingId)
    {
        StagingIds.ThrowIfInvalid(stagingId);
        return Path.Combine(UploadsDirectory, stagingId);
    }

    /// <summary>The digest a file under blobs/ stands for, when it sits where that digest belongs.</summary>
    public static bool TryParseBlobFile(string algorithm, string fanOut, string fileName, out Digest digest) =>
        Digest.TryParse($"{algorithm}:{fileName}", out digest) && fileName.StartsWith(fanOut, StringComparison.Ordinal) && fanOut.Length == 2;
}
