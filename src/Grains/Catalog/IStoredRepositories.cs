namespace Nscr.Grains.Catalog;

/// <summary>
/// The repositories that have a state row in grain storage, read from the storage itself: the catalog is a second
/// record of the same fact, and a failure between the two writes must not hide a repository from GC or fsck.
/// </summary>
public interface IStoredRepositories
{
    /// <summary>The names of every repository whose state is persisted, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);
}
