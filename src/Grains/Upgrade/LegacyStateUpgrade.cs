using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Nscr.Grains.Repositories;
using Nscr.Metadata;

namespace Nscr.Grains.Upgrade;

/// <summary>
/// At start-up, before the silo serves: activates every repository and blob still stored in the old serialized format,
/// which moves it into rows (see <see cref="RepositoryGrain"/> and <see cref="Blobs.BlobGrain"/>), so the catalog, the
/// admin figures and the GC, which read rows, miss none. A start on data already upgraded costs two queries.
/// </summary>
public static class LegacyStateUpgrade
{
    public static async Task RunAsync(IGrainFactory grains, ILegacyStates legacy, LegacyStateReader reader, RepositoryRows rows, ILogger logger, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var repositories = await legacy.ListAsync(StorageNames.RepositoryState, cancellationToken);
        await ForEachAsync(repositories, name => grains.GetGrain<IRepositoryGrain>(name).ReferencedDigestsAsync(), cancellationToken);
        // This release writes no old state: once those listed are moved, activations need not look for one.
        reader.Upgraded(StorageNames.RepositoryState);
        // Blobs after repositories: nothing depends on the order, but a repository's upgrade is the one users see.
        var blobs = await legacy.ListAsync(StorageNames.BlobState, cancellationToken);
        await ForEachAsync(blobs, digest => grains.GetGrain<IBlobGrain>(digest).GetAsync(), cancellationToken);
        reader.Upgraded(StorageNames.BlobState);
        // Repository sizes count blob sizes from the blob rows, which the blobs' upgrade has only now written.
        if (blobs.Count > 0) await rows.ResizeAllAsync(cancellationToken);
        if (repositories.Count + blobs.Count > 0) RepositoryLog.UpgradeFinished(logger, repositories.Count, blobs.Count, watch.ElapsedMilliseconds);
    }

    private static Task ForEachAsync(IReadOnlyList<string> keys, Func<string, Task> activate, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (key, _) => await activate(key));
}
