using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Grains.Blobs;

public sealed class BlobGrain(
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

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        persistedTouch = state.State.LastTouched;
        return Task.CompletedTask;
    }

    public async Task<BlobInfo> CommitStagedAsync(string stagingId, long size)
    {
        await store.CommitStagedAsync(stagingId, Digest, CancellationToken.None);
        var now = time.GetUtcNow();
        if (!state.State.Committed || state.State.Size != size)
        {
            state.State.Committed = true;
            state.State.Size = size;
            state.State.CommittedAt = now;
        }
        state.State.LastTouched = now;
        await WriteAsync();
        return Info();
    }

    public Task<BlobInfo?> GetAsync() => Task.FromResult(state.State.Committed ? Info() : null);

    public async Task<BlobInfo> AddReferenceAsync()
    {
        if (!state.State.Committed)
        {
            throw new OciException(OciErrorCode.BlobUnknown, $"blob {Digest} is not stored");
        }
        await TouchAsync();
        return Info();
    }

    private async Task TouchAsync()
    {
        var now = time.GetUtcNow();
        state.State.LastTouched = now;
        if (now - persistedTouch >= TouchPersistInterval)
        {
            await WriteAsync();
        }
    }

    private async Task WriteAsync()
    {
        await state.WriteStateAsync();
        persistedTouch = state.State.LastTouched;
    }

    private BlobInfo Info() => new(state.State.Size, state.State.CommittedAt, state.State.LastTouched);
}
