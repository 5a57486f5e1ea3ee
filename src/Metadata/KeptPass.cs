namespace Nscr.Metadata;

/// <summary>
/// The result of a registry-wide pass (stored and unreferenced blobs, shared bytes: hundreds of milliseconds at 35,000
/// blobs), done again only when the store's generation moved since it was taken: a registry read far more often than
/// it changes pays the pass once per change, not once per call. Kept at most <see cref="MaxAge"/>, in case a silo's
/// clock lags another's. One value per pass, whatever the registry holds.
/// </summary>
internal sealed class KeptPass<T>(TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private Kept? kept;

    /// <summary>The kept value when it was taken at <paramref name="generation"/>, else a new pass.</summary>
    public async Task<T> GetAsync(StoreGeneration generation, Func<Task<T>> pass)
    {
        if (Volatile.Read(ref kept) is { } last && last.Generation == generation && time.GetUtcNow() - last.At <= MaxAge) return last.Value;
        // Taken after the generation was read: a change in between only makes the next call pass again.
        var at = time.GetUtcNow();
        var value = await pass();
        Volatile.Write(ref kept, new Kept(generation, value, at));
        return value;
    }

    private sealed record Kept(StoreGeneration Generation, T Value, DateTimeOffset At);
}

/// <summary>
/// What moves whenever a blob is committed or deleted (count, bytes, latest commit) or a repository's references change
/// (see <see cref="RegistryGeneration"/>).
/// </summary>
internal readonly record struct StoreGeneration(long Blobs, long Bytes, long LatestCommit, RegistryGeneration Repositories);
