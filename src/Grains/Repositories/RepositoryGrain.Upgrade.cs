using Nscr.Metadata;

namespace Nscr.Grains.Repositories;

/// <summary>
/// The whole-repository read, and the upgrade from the old format: one serialized <see cref="RepositoryState"/> per
/// repository in grain storage, rewritten whole on every change. Activation moves it into rows in one transaction and
/// then deletes it; a crash in between leaves the old state, which the next activation moves again (the import
/// replaces whatever rows it finds), and no call is served before both are done.
/// </summary>
public sealed partial class RepositoryGrain
{
    private async Task UpgradeLegacyStateAsync(CancellationToken cancellationToken)
    {
        if (await legacy.ReadAsync<RepositoryState>(StorageNames.RepositoryState, this.GetGrainId()) is not ({ } old, { } record)) return;
        if (old.Manifests.Count > 0)
        {
            var contents = new RepositoryContents();
            foreach (var (tag, digest) in old.Tags) contents.Tags[tag] = digest;
            foreach (var (tag, at) in old.TaggedAt) contents.TaggedAt[tag] = at;
            foreach (var (digest, manifest) in old.Manifests) contents.Manifests[digest] = manifest;
            foreach (var (digest, at) in old.PulledAt) contents.PulledAt[digest] = at;
            var createdAt = old.Manifests.Values.Min(m => m.PushedAt);
            await rows.ImportAsync(Name, contents, createdAt, cancellationToken);
        }
        await legacy.ClearAsync(StorageNames.RepositoryState, this.GetGrainId(), record);
        RepositoryLog.Upgraded(logger, Name, old.Manifests.Count, old.Tags.Count);
    }

    /// <summary>Every row of the repository, with the pull times this activation has not written yet.</summary>
    private async Task<RepositoryContents> LoadContentsAsync()
    {
        var contents = await rows.LoadAsync(Name, CancellationToken.None);
        foreach (var (digest, at) in unwrittenPulls)
        {
            if (contents.Manifests.ContainsKey(digest) && (!contents.PulledAt.TryGetValue(digest, out var stored) || stored < at)) contents.PulledAt[digest] = at;
        }
        return contents;
    }
}
