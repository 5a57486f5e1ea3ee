using Nscr.Oci;

namespace Nscr.Grains;

/// <summary>What a garbage collection cycle asks of one repository.</summary>
/// <param name="Cutoff">Manifests pushed at or after this instant are kept whatever else holds (the grace period).</param>
/// <param name="Now">The cycle's start, for the ages of tags.</param>
/// <param name="DryRun">Report only; change nothing.</param>
/// <param name="DeleteUntagged">Collect manifests that no tag, index or live subject reaches.</param>
/// <param name="Rule">The retention rule for this repository, if any.</param>
[GenerateSerializer, Immutable]
[Alias("nscr.RepositoryCollectRequest")]
public sealed record RepositoryCollectRequest(
    [property: Id(0)] DateTimeOffset Cutoff,
    [property: Id(1)] DateTimeOffset Now,
    [property: Id(2)] bool DryRun,
    [property: Id(3)] bool DeleteUntagged,
    [property: Id(4)] RetentionRule? Rule);

/// <summary>A manifest a cycle deleted (or would delete) from a repository.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.CollectedManifest")]
public sealed record CollectedManifest([property: Id(0)] Digest Digest, [property: Id(1)] long Size);

/// <summary>What one repository keeps and what it gave up in a cycle.</summary>
/// <param name="Live">Every digest the kept manifests need: the manifests themselves, their blobs and children.</param>
/// <param name="Empty">No manifest is left: the repository was (or would be) dropped from the catalog.</param>
[GenerateSerializer, Immutable]
[Alias("nscr.RepositoryCollectResult")]
public sealed record RepositoryCollectResult(
    [property: Id(0)] IReadOnlyList<Digest> Live,
    [property: Id(1)] IReadOnlyList<string> DeletedTags,
    [property: Id(2)] IReadOnlyList<CollectedManifest> DeletedManifests,
    [property: Id(3)] bool Empty);

/// <summary>What deleting a whole repository removed.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.RepositoryDeletion")]
public sealed record RepositoryDeletion(
    [property: Id(0)] int Manifests,
    [property: Id(1)] int Tags,
    [property: Id(2)] int UnlinkedBlobs);
