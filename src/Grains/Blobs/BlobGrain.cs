using Nscr.Grains.Gc;
using Nscr.Grains.Upgrade;
using Nscr.Metadata;
using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Grains.Blobs;

/// <summary>
/// The single writer of one digest's rows (<see cref="BlobRows"/>): the committed blob and its links. It keeps in memory
/// only the blob's row, its latest touch and a few repositories known to be linked (links are written here only, so the
/// set cannot go stale); a blob linked to many repositories costs a query per repository not cached, not a set per grain.
/// </summary>
// A blob is hot while a push or pull uses it; an idle one costs memory for nothing (its rows are persisted): it
// leaves after seconds (the silo's GrainLifetimes).
public sealed partial class BlobGrain(
    LegacyStateReader legacy,
    BlobRows rows,
    BlobTouches touches,
    IBlobStore store,
    TimeProvider time,
    GcOptions? gc = null) : Grain, IBlobGrain
{
    /// <summary>
    /// Touches are kept in memory and written at most this often: GC fencing uses the in-memory value while the
    /// grain is active, and a grace period longer than this interval covers a reactivation.
    /// </summary>
    public static readonly TimeSpan TouchPersistInterval = TimeSpan.FromMinutes(1);

    /// <summary>Repositories remembered as linked: a layer is pulled from a few at a time, and more would be a set per grain.</summary>
    private const int LinksCached = 8;

    /// <summary>
    /// How far an unwritten touch may run ahead of the written one and still be covered: a cycle's cutoff is its start
    /// minus the grace, and a reference that races a cycle is made after it started, so a written touch at most one
    /// grace older than the in-memory one still fences the sweep. Without the GC's options here, nothing is covered.
    /// </summary>
    private readonly TimeSpan touchCoveredByGrace = gc?.Grace ?? TimeSpan.Zero;

    private readonly HashSet<string> linked = new(StringComparer.Ordinal);
    private BlobRow? row;
    private DateTimeOffset lastTouched;

    private Digest Digest => Digest.Parse(this.GetPrimaryKeyString());

    private bool Committed => row is not null;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await UpgradeLegacyStateAsync(cancellationToken);
        row = await rows.GetAsync(Digest, cancellationToken);
        lastTouched = row?.LastTouched ?? default;
    }

    /// <summary>
    /// A touch only held in memory goes with the activation: written when the GC's fencing needs it (see
    /// <see cref="touchCoveredByGrace"/>). With the default hour of grace a burst of pushes leaves its blobs' grains
    /// without a write each; with a grace of zero every newer touch is written.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (row is not null && lastTouched > row.LastTouched && lastTouched - row.LastTouched >= touchCoveredByGrace)
        {
            await WriteTouchAsync(cancellationToken);
        }
    }

    public async Task<BlobInfo> CommitStagedAsync(string stagingId, long size, string repository)
    {
        await store.CommitStagedAsync(stagingId, Digest, CancellationToken.None);
        var now = time.GetUtcNow();
        var committedAt = row is not null && row.Size == size ? row.CommittedAt : now;
        await WriteOrForgetAsync(() => rows.CommitAsync(Digest, size, committedAt, repository, now, CancellationToken.None));
        row = new BlobRow(size, committedAt, now);
        lastTouched = now;
        Remember(repository);
        return Info();
    }

    public Task<BlobInfo?> GetAsync() => Task.FromResult(Committed ? Info() : null);

    public Task<bool> IsLinkedAsync(string repository) => IsLinkedCoreAsync(repository);

    public async Task<BlobInfo> LinkAsync(string repository)
    {
        EnsureCommitted();
        if (await IsLinkedCoreAsync(repository))
        {
            await TouchAsync();
            return Info();
        }
        var now = time.GetUtcNow();
        await WriteOrForgetAsync(() => rows.LinkAsync(Digest, repository, now, CancellationToken.None));
        row = row! with { LastTouched = now };
        lastTouched = now;
        Remember(repository);
        return Info();
    }

    public async Task<bool> UnlinkAsync(string repository)
    {
        linked.Remove(repository);
        return await WriteOrForgetAsync(() => rows.UnlinkAsync(Digest, repository, CancellationToken.None));
    }

    public async Task<bool> TouchIfLinkedAsync(string repository)
    {
        if (!await IsLinkedCoreAsync(repository)) return false;
        await TouchAsync();
        return true;
    }

    public async Task<BlobInfo> AddReferenceAsync(string repository)
    {
        EnsureCommitted();
        if (!await IsLinkedCoreAsync(repository))
        {
            throw new OciException(OciErrorCode.BlobUnknown, $"blob {Digest} is not in repository {repository}");
        }
        await TouchAsync();
        return Info();
    }

    private async Task<bool> IsLinkedCoreAsync(string repository)
    {
        if (!Committed) return false;
        if (linked.Contains(repository)) return true;
        if (!await rows.IsLinkedAsync(Digest, repository, CancellationToken.None)) return false;
        Remember(repository);
        return true;
    }

    private void Remember(string repository)
    {
        if (linked.Count >= LinksCached) linked.Clear();
        linked.Add(repository);
    }

    private void EnsureCommitted()
    {
        if (!Committed) throw new OciException(OciErrorCode.BlobUnknown, $"blob {Digest} is not stored");
    }

    private async Task TouchAsync()
    {
        lastTouched = time.GetUtcNow();
        if (lastTouched - row!.LastTouched >= TouchPersistInterval) await WriteTouchAsync(CancellationToken.None);
    }

    private async Task WriteTouchAsync(CancellationToken cancellationToken)
    {
        var at = lastTouched;
        await touches.WriteAsync(Digest, at).WaitAsync(cancellationToken);
        if (row is not null) row = row with { LastTouched = at };
    }

    /// <summary>
    /// A write whose outcome is unknown (it failed) leaves this activation's memory possibly wrong: the activation goes,
    /// so the next one reads what the database holds.
    /// </summary>
    private async Task<T> WriteOrForgetAsync<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task WriteOrForgetAsync(Func<Task> write) => await WriteOrForgetAsync(async () => { await write(); return true; });

    private BlobInfo Info() => new(row!.Size, row.CommittedAt, lastTouched);
}
