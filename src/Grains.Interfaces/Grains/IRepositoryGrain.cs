using Nscr.Oci;
using Orleans.Concurrency;

namespace Nscr.Grains;

/// <summary>One per repository (key: its name). Owns tags, manifests and the blobs linked to it.</summary>
[Alias("nscr.IRepositoryGrain")]
public interface IRepositoryGrain : IGrainWithStringKey
{
    /// <summary>True when the blob is linked here (uploaded, mounted) or is one of this repository's manifests.</summary>
    [Alias("HasBlob"), ReadOnly]
    Task<bool> HasBlobAsync(Digest digest);

    /// <summary>Links a committed blob to this repository.</summary>
    [Alias("LinkBlob")]
    Task LinkBlobAsync(Digest digest);

    /// <summary>Unlinks a blob. False when it was not linked; UNSUPPORTED while a manifest here uses it.</summary>
    [Alias("UnlinkBlob")]
    Task<bool> UnlinkBlobAsync(Digest digest);

    /// <summary>
    /// Commits a manifest whose bytes are already stored. Every referenced blob and child manifest must be
    /// in this repository; each referenced blob grain registers the reference before the commit.
    /// </summary>
    [Alias("PutManifest")]
    Task PutManifestAsync(ManifestRecord manifest, string? tag);

    [Alias("Resolve"), ReadOnly]
    Task<ManifestRecord?> ResolveAsync(Reference reference);

    /// <summary>Deletes a manifest and every tag pointing to it. False when unknown.</summary>
    [Alias("DeleteManifest")]
    Task<bool> DeleteManifestAsync(Digest digest);

    /// <summary>Deletes one tag; the manifest stays. False when unknown.</summary>
    [Alias("DeleteTag")]
    Task<bool> DeleteTagAsync(string tag);

    /// <summary>Tags in lexical (ordinal) order, or null when the repository does not exist.</summary>
    [Alias("ListTags"), ReadOnly]
    Task<IReadOnlyList<string>?> ListTagsAsync();

    /// <summary>Descriptors of the manifests whose subject is <paramref name="subject"/>.</summary>
    [Alias("Referrers"), ReadOnly]
    Task<IReadOnlyList<Descriptor>> ReferrersAsync(Digest subject, string? artifactType);
}

[GenerateSerializer, Immutable]
[Alias("nscr.ManifestRecord")]
public sealed record ManifestRecord(
    [property: Id(0)] Digest Digest,
    [property: Id(1)] long Size,
    [property: Id(2)] ManifestContent Content,
    [property: Id(3)] DateTimeOffset PushedAt)
{
    public string MediaType => Content.MediaType;
}
