namespace Nscr.Grains;

public enum RepositorySort
{
    Name,
    Size,
    Tags,
    Pushed,
    Pulled,
}

/// <summary>
/// A page of the repository list: names containing <paramref name="Filter"/> (lowercase), in <paramref name="Sort"/>
/// order (ties by name), up to <paramref name="Count"/> after the name cursor <paramref name="Last"/> (name order) or
/// from <paramref name="Offset"/>.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("nscr.RepositoryListRequest")]
public sealed record RepositoryListRequest(
    [property: Id(0)] string Filter,
    [property: Id(1)] RepositorySort Sort,
    [property: Id(2)] bool Descending,
    [property: Id(3)] int Count,
    [property: Id(4)] string? Last,
    [property: Id(5)] int Offset);

/// <summary>A page of repositories: the rows, the index of the first in the whole ordered list, whether more follow, how many match.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.RepositoryListPage")]
public sealed record RepositoryListPage(
    [property: Id(0)] IReadOnlyList<RepositorySummary> Repositories,
    [property: Id(1)] int Start,
    [property: Id(2)] bool More,
    [property: Id(3)] int Total);

/// <summary>Repository, tag and manifest counts of the registry (repositories holding at least one manifest).</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.RegistryCounts")]
public sealed record RegistryCounts([property: Id(0)] long Repositories, [property: Id(1)] long Tags, [property: Id(2)] long Manifests);

/// <summary>
/// The committed blobs (manifest bodies included), those that are some repository's manifest, and those no manifest
/// references and that are no manifest (what GC cycles past the grace reclaim).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("nscr.StoredFigures")]
public sealed record StoredFigures(
    [property: Id(0)] long Blobs,
    [property: Id(1)] long Bytes,
    [property: Id(2)] long ManifestBlobs,
    [property: Id(3)] long ManifestBytes,
    [property: Id(4)] long UnreferencedBlobs,
    [property: Id(5)] long UnreferencedBytes)
{
    /// <summary>What some manifest stands on (every referenced digest is stored: invariant 1).</summary>
    public long ReferencedBytes => Bytes - UnreferencedBytes;
}
