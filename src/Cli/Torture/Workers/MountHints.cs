using System.Collections.Concurrent;

namespace Nscr.Cli.Torture.Workers;

/// <summary>Which repository last received each shared blob: the <c>from</c> of cross-repository mounts. Only a
/// hint: that repository may have lost the blob since (to a delete and GC), and then the mount falls back to 202.</summary>
public sealed class MountHints
{
    private readonly ConcurrentDictionary<string, string> _lastRepository = new(StringComparer.Ordinal);

    public void Saw(string digest, string repository) => _lastRepository[digest] = repository;

    public string? From(string digest, string exceptRepository) =>
        _lastRepository.TryGetValue(digest, out var repository) && repository != exceptRepository ? repository : null;
}
