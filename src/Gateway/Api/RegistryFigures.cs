using Nscr.Grains;
using Nscr.Storage;

namespace Nscr.Gateway.Api;

/// <summary>The staged objects in the store: upload sessions and manifest bodies on their way, of every gateway.</summary>
public sealed record StagedUploads(int Objects, long Bytes);

/// <summary>
/// The registry-wide figures of <c>/api/status</c> and <c>/api/usage</c> that cost a pass (over the blob rows, over the
/// references, over the staged uploads; the silo keeps the first two until the store changes), each shared by
/// concurrent callers.
/// Per-repository figures are read per page instead (<see cref="ICatalogGrain.ListRepositoriesAsync"/>).
/// </summary>
public sealed class RegistryFigures(IGrainFactory grains, IBlobStore store, TimeProvider time)
{
    /// <summary>How old the figures a later page of <c>/api/usage</c> may reuse may be.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    public SharedFigure<StoredFigures> Stored { get; } = new(() => grains.GetGrain<ICatalogGrain>(0).GetStoredAsync(), time);

    public SharedFigure<long> SharedBytes { get; } = new(() => grains.GetGrain<ICatalogGrain>(0).GetSharedBytesAsync(), time);

    /// <summary>A listing of the staging area: as long as the uploads in flight, not the registry.</summary>
    public SharedFigure<StagedUploads> Staged { get; } = new(async () =>
    {
        var (objects, bytes) = (0, 0L);
        await foreach (var upload in store.ListStagedAsync(CancellationToken.None))
        {
            objects++;
            bytes += upload.Size;
        }
        return new StagedUploads(objects, bytes);
    }, time);
}
