using Nscr.Oci;

namespace Nscr.Grains.Repositories;

public sealed class RepositoryGrain(
    [PersistentState("repository", StorageNames.Registry)] IPersistentState<RepositoryState> state,
    TimeProvider time) : Grain, IRepositoryGrain
{
    private readonly ReferrerIndex referrers = new();
    private string[]? sortedTags;

    private string Name => this.GetPrimaryKeyString();
    private RepositoryState State => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        referrers.Rebuild(State.Manifests.Values);
        return Task.CompletedTask;
    }

    public Task<bool> HasBlobAsync(Digest digest) =>
        Task.FromResult(State.Blobs.Contains(digest) || State.Manifests.ContainsKey(digest));

    public async Task LinkBlobAsync(Digest digest)
    {
        if (!State.Blobs.Add(digest)) return;
        await SaveAsync();
    }

    public async Task<bool> UnlinkBlobAsync(Digest digest)
    {
        if (!State.Blobs.Contains(digest)) return false;
        var user = State.Manifests.Values.FirstOrDefault(m => m.Content.ReferencedBlobs().Contains(digest));
        if (user is not null)
        {
            throw new OciException(OciErrorCode.Unsupported, $"blob {digest} is used by manifest {user.Digest}; delete the manifest first");
        }
        State.Blobs.Remove(digest);
        await SaveAsync();
        return true;
    }

    public async Task PutManifestAsync(ManifestRecord manifest, string? tag)
    {
        var content = manifest.Content;
        foreach (var blob in content.ReferencedBlobs())
        {
            if (!State.Blobs.Contains(blob))
            {
                throw new OciException(OciErrorCode.ManifestBlobUnknown, $"blob {blob} is not in repository {Name}", blob.ToString());
            }
        }
        foreach (var child in content.Manifests)
        {
            if (!State.Manifests.ContainsKey(child.Digest))
            {
                throw new OciException(OciErrorCode.ManifestUnknown, $"manifest {child.Digest} is not in repository {Name}", child.Digest.ToString());
            }
        }
        // Invariant 1: every referenced blob grain registers the reference before the manifest is committed,
        // so a concurrent garbage collection either sees the reference or has already made this fail.
        var references = content.ReferencedBlobs()
            .Concat(content.Manifests.Select(m => m.Digest))
            .Append(manifest.Digest)
            .Distinct()
            .Select(AddReferenceAsync);
        await Task.WhenAll(references);

        if (State.Manifests.TryGetValue(manifest.Digest, out var existing))
        {
            manifest = manifest with { PushedAt = existing.PushedAt };
        }
        else
        {
            manifest = manifest with { PushedAt = time.GetUtcNow() };
            referrers.Add(manifest);
        }
        State.Manifests[manifest.Digest] = manifest;
        if (tag is not null) State.Tags[tag] = manifest.Digest;
        await SaveAsync();
    }

    private async Task AddReferenceAsync(Digest digest)
    {
        try
        {
            await GrainFactory.GetGrain<IBlobGrain>(digest.ToString()).AddReferenceAsync();
        }
        catch (OciException e) when (e.Code == OciErrorCode.BlobUnknown)
        {
            throw new OciException(OciErrorCode.ManifestBlobUnknown, $"blob {digest} is no longer stored; upload it again", digest.ToString());
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
        var parent = State.Manifests.Values.FirstOrDefault(m => m.Content.Manifests.Any(c => c.Digest == digest));
        if (parent is not null)
        {
            throw new OciException(OciErrorCode.Unsupported, $"manifest {digest} is part of index {parent.Digest}; delete the index first");
        }
        State.Manifests.Remove(digest);
        referrers.Remove(manifest);
        foreach (var tag in State.Tags.Where(t => t.Value == digest).Select(t => t.Key).ToArray())
        {
            State.Tags.Remove(tag);
        }
        await SaveAsync();
        return true;
    }

    public async Task<bool> DeleteTagAsync(string tag)
    {
        if (!State.Tags.Remove(tag)) return false;
        await SaveAsync();
        return true;
    }

    public Task<IReadOnlyList<string>?> ListTagsAsync()
    {
        if (State.IsEmpty) return Task.FromResult<IReadOnlyList<string>?>(null);
        sortedTags ??= State.Tags.Keys.Order(StringComparer.Ordinal).ToArray();
        return Task.FromResult<IReadOnlyList<string>?>(sortedTags);
    }

    public Task<IReadOnlyList<Descriptor>> ReferrersAsync(Digest subject, string? artifactType) =>
        Task.FromResult(referrers.Find(subject, artifactType));

    private async Task SaveAsync()
    {
        sortedTags = null;
        if (!State.Cataloged && !State.IsEmpty)
        {
            await GrainFactory.GetGrain<ICatalogGrain>(0).AddAsync(Name);
            State.Cataloged = true;
        }
        await state.WriteStateAsync();
    }
}
