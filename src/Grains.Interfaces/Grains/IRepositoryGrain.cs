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

    [Alias("Resolve"), ReadOnly]
    Task<ManifestRecord?> ResolveAsync(Reference reference);

    /// <summary>Deletes a manifest and every tag pointing to it. False when unknown.</summary>
    [Alias("DeleteManifest")]
    Task<bool> DeleteManifestAsync(Digest digest);

    /// <summary>Deletes one tag; the manifest stays. False when unknown.</summary>
    [Alias("DeleteTag")]
    Task<bool> DeleteTagAsync(string tag);

    /// <summary>Tags in lexical (ordinal) order, or null when the repository has no manifests.</summary>
    [Alias("ListTags"), ReadOnly]
    Task<IReadOnlyList<string>?> ListTagsAsync();

    /// <summary>Descriptors of the manifests whose subject is <paramref name="subject"/>.</summary>
    [Alias("Referrers"), ReadOnly]
    Task<IReadOnlyList<Descriptor>> ReferrersAsync(Digest subject, string? artifactType);
}
