using Nscr.Oci;

namespace Nscr.Grains.Repositories;

public sealed partial class RepositoryGrain(
    [PersistentState(StorageNames.RepositoryState, StorageNames.Registry)] IPersistentState<RepositoryState> state,
    TimeProvider time) : Grain, IRepositoryGrain
{
    /// <summary>Pull times are kept in memory and written at most this often (and when the grain deactivates).</summary>
    public static readonly TimeSpan PullPersistInterval = TimeSpan.FromMinutes(1);

    private readonly ReferrerIndex referrers = new();
    private string[]? sortedTags;
    private DateTimeOffset pullsWrittenAt;
    private bool pullsUnwritten;

    private string Name => this.GetPrimaryKeyString();
    private RepositoryState State => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        referrers.Rebuild(State.Manifests.Values);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (pullsUnwritten && State.Manifests.Count > 0) await SaveAsync();
    }

    public async Task RecordPullAsync(Digest digest)
    {
        if (!State.Manifests.ContainsKey(digest)) return;
        var now = time.GetUtcNow();
        State.PulledAt[digest] = now;
        pullsUnwritten = true;
        if (now - pullsWrittenAt >= PullPersistInterval) await SaveAsync();
    }

    public async Task<bool> UnlinkBlobAsync(Digest digest)
    {
        var user = State.Manifests.Values.FirstOrDefault(m => m.Blobs.Contains(digest));
        if (user is not null)
        {
            throw new OciException(OciErrorCode.Unsupported, $"blob {digest} is used by manifest {user.Digest}; delete the manifest first");
        }
        return await Blob(digest).UnlinkAsync(Name);
    }

    public Task PutManifestAsync(ManifestRecord manifest, string? tag, string? stagingId = null) =>
        PutManifestAsync(manifest, tag is null ? [] : [tag], stagingId);

    public async Task PutManifestAsync(ManifestRecord manifest, IReadOnlyList<string> tags, string? stagingId = null)
    {
        foreach (var tag in tags) Reference.ValidTag(tag);
        foreach (var child in manifest.Children)
        {
            if (!State.Manifests.ContainsKey(child))
            {
                // A child is a reference like a layer: MANIFEST_BLOB_UNKNOWN (spec, code-5), a 400 as Distribution answers.
                throw new OciException(OciErrorCode.ManifestBlobUnknown, $"manifest {child} is not in repository {Name}", child.ToString());
            }
        }
        // A GC cycle marks only the repositories its catalog listing names. Join the catalog before the references below
        // touch the blobs: a cycle that lists the catalog later marks this repository (its mark waits for this turn),
        // and one that listed it earlier started before the touches, which fence its sweep. Joining only when saving
        // let a cycle that started between the touches and the save sweep the blobs of a repository's first manifest.
        var listedNow = await EnsureCatalogedAsync();
        try
        {
            // Invariant 1: every referenced blob grain registers the reference before the manifest is committed, so a
            // concurrent garbage collection either sees the reference or has already made this fail.
            var references = manifest.Blobs
                .Concat(manifest.Children)
                .Distinct()
                .Select(AddReferenceAsync);
            await Task.WhenAll(references);
            await StoreManifestBytesAsync(manifest, stagingId);
        }
        catch when (listedNow)
        {
            // The catalog lists repositories that hold a manifest: a first push that failed leaves none.
            await UnlistIfEmptyAsync();
            throw;
        }

        var now = time.GetUtcNow();
        if (State.Manifests.TryGetValue(manifest.Digest, out var existing))
        {
            manifest = manifest with { PushedAt = existing.PushedAt, RefreshedAt = now };
        }
        else
        {
            manifest = manifest with { PushedAt = now, RefreshedAt = now };
            referrers.Add(manifest);
        }
        State.Manifests[manifest.Digest] = manifest;
        foreach (var tag in tags)
        {
            State.Tags[tag] = manifest.Digest;
            State.TaggedAt[tag] = now;
        }
        await SaveAsync();
    }

    private async Task StoreManifestBytesAsync(ManifestRecord manifest, string? stagingId)
    {
        var blob = Blob(manifest.Digest);
        if (stagingId is not null)
        {
            await blob.CommitStagedAsync(stagingId, manifest.Size, Name);
            return;
        }
        try
        {
            await blob.LinkAsync(Name);
        }
        catch (OciException e) when (e.Code == OciErrorCode.BlobUnknown)
        {
            throw new OciException(OciErrorCode.ManifestBlobUnknown, $"manifest {manifest.Digest} is no longer stored", manifest.Digest.ToString());
        }
    }

    private async Task AddReferenceAsync(Digest digest)
    {
        try
        {
            await Blob(digest).AddReferenceAsync(Name);
        }
        catch (OciException e) when (e.Code == OciErrorCode.BlobUnknown)
        {
            throw new OciException(OciErrorCode.ManifestBlobUnknown, $"blob {digest} is not in repository {Name}", digest.ToString());
        }
    }

    public Task<ManifestRecord?> ResolveAsync(Reference reference)
    {
        Digest digest;
        if (reference.Digest is { } d)
        {
            digest = d;
        }
        else if (!State.Tags.TryGetValue(reference.Tag!, out digest))
        {
            return Task.FromResult<ManifestRecord?>(null);
        }
        return Task.FromResult(State.Manifests.GetValueOrDefault(digest));
    }

    public async Task<bool> DeleteManifestAsync(Digest digest)
    {
        if (!State.Manifests.TryGetValue(digest, out var manifest)) return false;
        var parent = State.Manifests.Values.FirstOrDefault(m => m.Children.Contains(digest));
        if (parent is not null)
        {
            throw new OciException(OciErrorCode.Unsupported, $"manifest {digest} is part of index {parent.Digest}; delete the index first");
        }
        State.Manifests.Remove(digest);
        referrers.Remove(manifest);
        foreach (var tag in State.Tags.Where(t => t.Value == digest).Select(t => t.Key).ToArray())
        {
            RemoveTag(tag);
        }
        await SaveAsync();
        return true;
    }

    public async Task<bool> DeleteTagAsync(string tag)
    {
        if (!RemoveTag(tag)) return false;
        await SaveAsync();
        return true;
    }

    public Task<IReadOnlyList<string>?> ListTagsAsync()
    {
        if (State.Manifests.Count == 0) return Task.FromResult<IReadOnlyList<string>?>(null);
        sortedTags ??= State.Tags.Keys.Order(StringComparer.Ordinal).ToArray();
        return Task.FromResult<IReadOnlyList<string>?>(sortedTags);
    }

    public Task<IReadOnlyList<Descriptor>> ReferrersAsync(Digest subject, string? artifactType) =>
        Task.FromResult(referrers.Find(subject, artifactType));

    private bool RemoveTag(string tag)
    {
        State.TaggedAt.Remove(tag);
        return State.Tags.Remove(tag);
    }

    private IBlobGrain Blob(Digest digest) => GrainFactory.GetGrain<IBlobGrain>(digest.ToString());

    private async Task SaveAsync()
    {
        sortedTags = null;
        if (State.Manifests.Count > 0) await EnsureCatalogedAsync();
        foreach (var gone in State.PulledAt.Keys.Where(d => !State.Manifests.ContainsKey(d)).ToArray()) State.PulledAt.Remove(gone);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            await RestoreStoredStateAsync();
            throw;
        }
        pullsWrittenAt = time.GetUtcNow();
        pullsUnwritten = false;
    }

    /// <summary>
    /// After a failed write (a full disk, the database gone): the change was made in memory first, and serving or later
    /// writing it would make a delete that answered an error happen after all. Reads the stored state back, or, when
    /// even that fails, drops the activation so the next call reads it.
    /// </summary>
    private async Task RestoreStoredStateAsync()
    {
        pullsUnwritten = false;
        sortedTags = null;
        try
        {
            await state.ReadStateAsync();
            referrers.Rebuild(State.Manifests.Values);
        }
        catch
        {
            state.State = new RepositoryState();
            referrers.Rebuild([]);
            DeactivateOnIdle();
        }
    }

    /// <summary>Adds the repository to the catalog unless it is there; true when it was added now.</summary>
    private async Task<bool> EnsureCatalogedAsync()
    {
        if (State.Cataloged) return false;
        await GrainFactory.GetGrain<ICatalogGrain>(0).AddAsync(Name);
        State.Cataloged = true;
        return true;
    }

    /// <summary>
    /// After a first push failed: the catalog lists repositories that hold a manifest. If this fails the entry stays
    /// (State.Cataloged stays true) and the next GC cycle drops the empty repository.
    /// </summary>
    private async Task UnlistIfEmptyAsync()
    {
        if (State.Manifests.Count > 0) return;
        await GrainFactory.GetGrain<ICatalogGrain>(0).RemoveAsync(Name);
        State.Cataloged = false;
    }
}
