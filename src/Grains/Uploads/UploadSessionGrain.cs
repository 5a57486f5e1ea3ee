using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Grains.Uploads;

// An upload is resumed within seconds or not at all; its state is persisted.
[CollectionAgeLimit(Minutes = 5)]
public sealed class UploadSessionGrain(
    [PersistentState("upload", StorageNames.Registry)] IPersistentState<UploadState> state,
    IBlobStore store,
    TimeProvider time) : Grain, IUploadSessionGrain
{
    /// <summary>A writer that vanished (its gateway died) loses the lease after this long.</summary>
    private static readonly TimeSpan LeaseTimeout = TimeSpan.FromMinutes(10);

    private DateTimeOffset? leaseTakenAt;

    public async Task StartAsync(string repository)
    {
        var now = time.GetUtcNow();
        state.State = new UploadState { Repository = repository, Offset = 0, StartedAt = now, LastActivity = now };
        await state.WriteStateAsync();
    }

    public Task<UploadStatus?> GetAsync() => Task.FromResult(
        state.State.Repository is null
            ? null
            : new UploadStatus(state.State.Repository, state.State.Offset, state.State.StartedAt, state.State.LastActivity));

    public Task<long> BeginWriteAsync(string repository, long? start)
    {
        if (state.State.Repository != repository)
        {
            throw new OciException(OciErrorCode.BlobUploadUnknown, "upload session unknown");
        }
        var now = time.GetUtcNow();
        if (leaseTakenAt is { } taken && now - taken < LeaseTimeout)
        {
            throw new OciException(OciErrorCode.RangeInvalid, "another chunk of this upload is being written");
        }
        if (start is { } s && s != state.State.Offset)
        {
            throw new OciException(OciErrorCode.RangeInvalid, $"chunk starts at {s}, expected {state.State.Offset}");
        }
        leaseTakenAt = now;
        return Task.FromResult(state.State.Offset);
    }

    public async Task EndWriteAsync(long newOffset)
    {
        leaseTakenAt = null;
        if (state.State.Repository is null) return;
        state.State.Offset = newOffset;
        state.State.LastActivity = time.GetUtcNow();
        await state.WriteStateAsync();
    }

    public Task AbortWriteAsync()
    {
        leaseTakenAt = null;
        return Task.CompletedTask;
    }

    public async Task<UploadExpiryOutcome> ExpireAsync(DateTimeOffset idleBefore, bool dryRun)
    {
        if (state.State.Repository is null) return UploadExpiryOutcome.Unknown;
        var writing = leaseTakenAt is { } taken && time.GetUtcNow() - taken < LeaseTimeout;
        if (writing || state.State.LastActivity >= idleBefore) return UploadExpiryOutcome.Active;
        if (dryRun) return UploadExpiryOutcome.Expired;
        // Forget first: a crash in between leaves a staged file no session knows, which the GC removes as an orphan.
        await CloseAsync();
        await store.DeleteStagedAsync(this.GetPrimaryKeyString(), CancellationToken.None);
        return UploadExpiryOutcome.Expired;
    }

    public async Task CloseAsync()
    {
        leaseTakenAt = null;
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }
        state.State = new UploadState();
        DeactivateOnIdle();
    }
}
