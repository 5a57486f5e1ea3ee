namespace Nscr.Grains.Blobs;

/// <summary>
/// The upgrade from the old format: one serialized <see cref="BlobState"/> per digest in grain storage, with the set of
/// linked repositories inside. Activation moves it into rows in one transaction and then deletes it; a crash in between
/// leaves the old state, which the next activation moves again (the import is an upsert).
/// </summary>
public sealed partial class BlobGrain
{
    private async Task UpgradeLegacyStateAsync(CancellationToken cancellationToken)
    {
        if (await legacy.ReadAsync<BlobState>(StorageNames.BlobState, this.GetGrainId()) is not ({ } old, { } record)) return;
        if (old.Committed)
        {
            await rows.ImportAsync(Digest, old.Size, old.CommittedAt, old.LastTouched, old.Repositories, cancellationToken);
        }
        await legacy.ClearAsync(StorageNames.BlobState, this.GetGrainId(), record);
    }
}
