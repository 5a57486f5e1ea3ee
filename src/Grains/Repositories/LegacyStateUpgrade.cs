using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Nscr.Grains.Catalog;

namespace Nscr.Grains.Repositories;

/// <summary>
/// At start-up, before the silo serves: activates every repository still stored in the old serialized format, which
/// moves it into rows (see <see cref="RepositoryGrain"/>), so the catalog and the admin views, which read rows, miss
/// none. A start on data already upgraded finds nothing and costs one query.
/// </summary>
public static class LegacyStateUpgrade
{
    public static async Task RunAsync(IGrainFactory grains, IStoredRepositories stored, ILogger logger, CancellationToken cancellationToken)
    {
        var names = await stored.ListAsync(cancellationToken);
        if (names.Count == 0) return;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (name, _) => await grains.GetGrain<IRepositoryGrain>(name).ReferencedDigestsAsync());
        RepositoryLog.UpgradeFinished(logger, names.Count, watch.ElapsedMilliseconds);
    }
}
