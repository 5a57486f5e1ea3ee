using Microsoft.Extensions.Logging;
using Nscr.Grains.Upgrade;
using Nscr.Metadata;
using Nscr.Oci;

namespace Nscr.Grains.Repositories;

/// <summary>
/// The single writer of one repository's rows (<see cref="RepositoryRows"/>). Each change is one transaction over
/// the rows it changes, so a push costs the same in an empty repository and in one with 10,000 tags. It keeps in
/// memory only what is cheap and bounded: whether the catalog lists it, a few resolved manifests, and the pull times
/// not yet written.
/// </summary>
// Idle repositories leave memory soon (the silo's GrainLifetimes): what they hold is in rows, and activation is one query.
public sealed partial class RepositoryGrain(
    LegacyStateReader legacy,
    RepositoryRows rows,
    UsageRows usage,
    TimeProvider time,
    ILogger<RepositoryGrain> logger) : Grain, IRepositoryGrain
{
    /// <summary>Pull times are kept in memory and written at most this often (and when the grain deactivates).</summary>
    public static readonly TimeSpan PullPersistInterval = TimeSpan.FromMinutes(1);

    private readonly ResolvedManifests resolved = new();
    private readonly Dictionary<Digest, DateTimeOffset> unwrittenPulls = [];
    private DateTimeOffset pullsWrittenAt;
    private bool listed;

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await UpgradeLegacyStateAsync(cancellationToken);
        listed = await rows.IsListedAsync(Name, cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await WritePullsAsync(cancellationToken);
    }

    public async Task RecordPullAsync(Digest digest)
    {
        var now = time.GetUtcNow();
        unwrittenPulls[digest] = now;
        if (now - pullsWrittenAt >= PullPersistInterval) await WritePullsAsync(CancellationToken.None);
    }

    public async Task<bool> UnlinkBlobAsync(Digest digest)
    {
        if (await rows.BlobUserAsync(Name, digest, CancellationToken.None) is { } user)
        {
            throw new OciException(OciErrorCode.Unsupported, $"blob {digest} is used by manifest {user}; delete the manifest first");
        }
        return await Blob(digest).UnlinkAsync(Name);
    }

    public Task PutManifestAsync(ManifestRecord manifest, string? tag, string? stagingId = null) =>
        PutManifestAsync(manifest, tag is null ? [] : [tag], stagingId);

    public async Task PutManifestAsync(ManifestRecord manifest, IReadOnlyList<string> tags, string? stagingId = null)
    {
        foreach (var tag in tags) Reference.ValidTag(tag);
        if ((await rows.MissingManifestsAsync(Name, manifest.Children, CancellationToken.None)) is [var child, ..])
        {
            // A child is a reference like a layer: MANIFEST_BLOB_UNKNOWN (spec, code-5), a 400 as Distribution answers.
            throw new OciException(OciErrorCode.ManifestBlobUnknown, $"manifest {child} is not in repository {Name}", child.ToString());
        }
        // A GC cycle marks only the repositories its catalog listing names. Join the catalog before the references below
        // touch the blobs: a cycle that lists the catalog later marks this repository (its mark waits for this turn),
        // and one that listed it earlier started before the touches, which fence its sweep. Joining only when saving
        // let a cycle that started between the touches and the save sweep the blobs of a repository's first manifest.
        var listedNow = await EnsureListedAsync();
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
            resolved.Forget(manifest.Digest, tags);
            await rows.PutManifestAsync(Name, manifest, tags, time.GetUtcNow(), CancellationToken.None);
        }
        catch when (listedNow)
        {
            // The catalog lists repositories that hold a manifest: a first push that failed leaves none.
            await UnlistIfEmptyAsync();
            throw;
        }
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

    public async Task<ManifestRecord?> ResolveAsync(Reference reference)
    {
        if (resolved.TryGet(reference, out var cached)) return cached;
        var manifest = reference.Digest is { } digest
            ? await rows.FindManifestAsync(Name, digest, CancellationToken.None)
            : await rows.FindTaggedAsync(Name, reference.Tag!, CancellationToken.None);
        if (manifest is not null) resolved.Add(reference, manifest);
        return manifest;
    }

    public async Task<bool> DeleteManifestAsync(Digest digest)
    {
        var deletion = await rows.DeleteManifestAsync(Name, digest, CancellationToken.None);
        resolved.Clear();
        unwrittenPulls.Remove(digest);
        switch (deletion.Outcome)
        {
            case ManifestDeletionOutcome.ListedByIndex:
                throw new OciException(OciErrorCode.Unsupported, $"manifest {digest} is part of index {deletion.Index}; delete the index first");
            case ManifestDeletionOutcome.Deleted:
                // The last manifest takes the catalog row with it.
                listed = await rows.IsListedAsync(Name, CancellationToken.None);
                return true;
            default:
                return false;
        }
    }

    public async Task<bool> DeleteTagAsync(string tag)
    {
        resolved.Clear();
        return await rows.DeleteTagAsync(Name, tag, CancellationToken.None);
    }

    public async Task<IReadOnlyList<string>?> ListTagsAsync(string? last, int count)
    {
        var page = await rows.ListTagsAsync(Name, last, count, CancellationToken.None);
        if (page.Count > 0) return page;
        // An empty page: the repository may hold only untagged manifests, or nothing (then it is unknown).
        return await rows.GetAsync(Name, CancellationToken.None) is { Manifests: > 0 } ? page : null;
    }

    public Task<IReadOnlyList<Descriptor>> ReferrersAsync(Digest subject, string? artifactType) =>
        rows.ReferrersAsync(Name, subject, artifactType, CancellationToken.None);

    private IBlobGrain Blob(Digest digest) => GrainFactory.GetGrain<IBlobGrain>(digest.ToString());

    private async Task WritePullsAsync(CancellationToken cancellationToken)
    {
        if (unwrittenPulls.Count == 0) return;
        var pulls = new Dictionary<Digest, DateTimeOffset>(unwrittenPulls);
        await rows.RecordPullsAsync(Name, pulls, cancellationToken);
        foreach (var (digest, at) in pulls)
        {
            if (unwrittenPulls.TryGetValue(digest, out var now) && now == at) unwrittenPulls.Remove(digest);
        }
        pullsWrittenAt = time.GetUtcNow();
    }

    /// <summary>Adds the repository to the catalog unless it is there; true when it was added now.</summary>
    private async Task<bool> EnsureListedAsync()
    {
        if (listed) return false;
        var added = await rows.EnsureListedAsync(Name, time.GetUtcNow(), CancellationToken.None);
        listed = true;
        return added;
    }

    /// <summary>
    /// After a first push failed: the catalog lists repositories that hold a manifest. If this fails the row stays
    /// and the next GC cycle drops the empty repository.
    /// </summary>
    private async Task UnlistIfEmptyAsync()
    {
        await rows.UnlistIfEmptyAsync(Name, CancellationToken.None);
        listed = await rows.IsListedAsync(Name, CancellationToken.None);
    }
}
