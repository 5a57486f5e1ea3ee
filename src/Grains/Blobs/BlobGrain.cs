using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Grains.Blobs;

// A blob is hot while a push or pull uses it; an idle one costs memory for nothing (its state is persisted).
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class BlobGrain(
    [PersistentState("blob", StorageNames.Registry)] IPersistentState<BlobState> state,
    IBlobStore store,
    TimeProvider time) : Grain, IBlobGrain
{
    /// <summary>
    /// Touches are kept in memory and written at most this often: GC fencing uses the in-memory value while the
    /// grain is active, and a grace period longer than this interval covers a reactivation.
    /// </summary>
    public static readonly TimeSpan TouchPersistInterval = TimeSpan.FromMinutes(1);

    private DateTimeOffset persistedTouch;

    private Digest Digest => Digest.Parse(this.GetPrimaryKeyString());
    private BlobState State => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        persistedTouch = State.LastTouched;
        return Task.CompletedTask;
    }

    /// <summary>A touch only held in memory would be lost with the activation: keep it for the GC's fencing.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (State.Committed && State.LastTouched > persistedTouch)
        {
            await WriteAsync();
        }
    }

    public async Task<BlobInfo> CommitStagedAsync(string stagingId, long size, string repository)
    {
        await store.CommitStagedAsync(stagingId, Digest, CancellationToken.None);
        var now = time.GetUtcNow();
        if (!State.Committed || State.Size != size)
        {
            State.Committed = true;
            State.Size = size;
            State.CommittedAt = now;
        }
        State.Repositories.Add(repository);
        State.LastTouched = now;
        await WriteAsync();
        return Info();
    }

    public Task<BlobInfo?> GetAsync() => Task.FromResult(State.Committed ? Info() : null);

    public Task<bool> IsLinkedAsync(string repository) =>
        Task.FromResult(State.Committed && State.Repositories.Contains(repository));

    public async Task<BlobInfo> LinkAsync(string repository)
    {
        EnsureCommitted();
        if (State.Repositories.Add(repository))
        {
            State.LastTouched = time.GetUtcNow();
            await WriteAsync();
        }
        else
        {
            await TouchAsync();
        }
        return Info();
    }

    public async Task<bool> UnlinkAsync(string repository)
    {
        if (!State.Repositories.Remove(repository)) return false;
        await WriteAsync();
        return true;
    }

    public async Task<bool> TouchIfLinkedAsync(string repository)
    {
        if (!State.Committed || !State.Repositories.Contains(repository)) return false;
        await TouchAsync();
        return true;
    }

    public async Task<BlobInfo> AddReferenceAsync(string repository)
    {
        EnsureCommitted();
        if (!State.Repositories.Contains(repository))
        {
            throw new OciException(OciErrorCode.BlobUnknown, $"blob {Digest} is not in repository {repository}");
        }
        await TouchAsync();
        return Info();
    }

    private void EnsureCommitted()
    {
        if (!State.Committed) throw new OciException(OciErrorCode.BlobUnknown, $"blob {Digest} is not stored");
    }

    private async Task TouchAsync()
    {
        var now = time.GetUtcNow();
        State.LastTouched = now;
        if (now - persistedTouch >= TouchPersistInterval)
        {
            await WriteAsync();
        }
    }

    private async Task WriteAsync()
    {
        await state.WriteStateAsync();
        persistedTouch = State.LastTouched;
    }

    private BlobInfo Info() => new(State.Size, State.CommittedAt, State.LastTouched);
}
