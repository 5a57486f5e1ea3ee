using Nscr.Oci;
using Orleans.Concurrency;

namespace Nscr.Grains;

/// <summary>One per repository (key: its name). Owns tags and manifests; blob links live in the blob grains.</summary>
[Alias("nscr.IRepositoryGrain")]
public interface IRepositoryGrain : IGrainWithStringKey
{
    /// <summary>Unlinks a blob from this repository. False when it was not linked; UNSUPPORTED while a manifest here uses it.</summary>
    [Alias("UnlinkBlob")]
    Task<bool> UnlinkBlobAsync(Digest digest);

    /// <summary>
    /// Commits a manifest. Every referenced blob must be linked to this repository and every child manifest must be
    /// one of its manifests; each referenced blob grain registers the reference before the commit. The manifest's
    /// own bytes are committed last, from <paramref name="stagingId"/> when given (so a rejected manifest leaves
    /// nothing behind), else they must already be stored and are linked here.
    /// </summary>
    [Alias("PutManifest")]
    Task PutManifestAsync(ManifestRecord manifest, string? tag, string? stagingId = null);

    /// <summary>
    /// Like the single-tag commit, setting every one of <paramref name="tags"/> (possibly none) in the same turn and the
    /// same state write as the manifest: all or nothing. TAG_INVALID, before anything changes, when one is not a tag.
    /// </summary>
    [Alias("PutManifestTags")]
    Task PutManifestAsync(ManifestRecord manifest, IReadOnlyList<string> tags, string? stagingId = null);

    [Alias("Resolve"), ReadOnly]
    Task<ManifestRecord?> ResolveAsync(Reference reference);

    /// <summary>
    /// Records that manifest <paramref name="digest"/> was pulled now (for "last pulled" in the admin API). One-way: a
    /// pull never waits for it; the time is written lazily (at most once a minute, and when the grain deactivates).
    /// </summary>
    [Alias("RecordPull"), OneWay]
    Task RecordPullAsync(Digest digest);

    /// <summary>Deletes a manifest and every tag pointing to it. False when unknown.</summary>
    [Alias("DeleteManifest")]
    Task<bool> DeleteManifestAsync(Digest digest);

    /// <summary>Deletes one tag; the manifest stays. False when unknown.</summary>
    [Alias("DeleteTag")]
    Task<bool> DeleteTagAsync(string tag);

    /// <summary>
    /// Up to <paramref name="count"/> tags after <paramref name="last"/> in lexical (ordinal) order, or null when the
    /// repository has no manifests.
    /// </summary>
    [Alias("ListTagPage"), ReadOnly]
    Task<IReadOnlyList<string>?> ListTagsAsync(string? last, int count);

    /// <summary>Descriptors of the manifests whose subject is <paramref name="subject"/>.</summary>
    [Alias("Referrers"), ReadOnly]
    Task<IReadOnlyList<Descriptor>> ReferrersAsync(Digest subject, string? artifactType);

    /// <summary>
    /// One GC step, in one turn: applies the retention rule to the tags, deletes the manifests nothing keeps (untagged,
    /// not a child of a kept index, not a referrer of a kept subject, pushed before the cutoff), drops the repository
    /// from the catalog when it is left empty, and returns what the kept manifests need.
    /// </summary>
    [Alias("Collect")]
    Task<RepositoryCollectResult> CollectAsync(RepositoryCollectRequest request);

    /// <summary>
    /// Deletes every tag and manifest, leaves the catalog and unlinks the blobs the manifests used (their bytes go at
    /// the next GC). Null when the repository holds no manifest.
    /// </summary>
    [Alias("DeleteRepository")]
    Task<RepositoryDeletion?> DeleteRepositoryAsync();

    /// <summary>Every digest the manifests here stand on: the manifests themselves and their blobs (for fsck).</summary>
    [Alias("ReferencedDigests"), ReadOnly]
    Task<IReadOnlyList<Digest>> ReferencedDigestsAsync();

    /// <summary>
    /// Counts, times and bytes (size, unique) from the rows, after writing the pull times held in memory; null when the
    /// repository holds no manifest.
    /// </summary>
    [Alias("Summary"), ReadOnly]
    Task<RepositorySummary?> GetSummaryAsync();

    /// <summary>
    /// Up to <paramref name="count"/> tags after <paramref name="last"/> (ordinal order) with their manifests, sizes,
    /// last pulls and referrers, read by key range after writing the pull times held in memory; null when the
    /// repository holds no manifest.
    /// </summary>
    [Alias("ListTagViews"), ReadOnly]
    Task<IReadOnlyList<TagView>?> ListTagViewsAsync(string? last, int count);

    /// <summary>Every manifest, tagged or not, in digest order, with its tags; null when the repository holds no manifest.</summary>
    [Alias("ListManifestViews"), ReadOnly]
    Task<IReadOnlyList<ManifestView>?> ListManifestViewsAsync();

    /// <summary>The manifest <paramref name="reference"/> names, with its tags and children; null when unknown.</summary>
    [Alias("ManifestView"), ReadOnly]
    Task<ManifestView?> GetManifestViewAsync(Reference reference);
}
