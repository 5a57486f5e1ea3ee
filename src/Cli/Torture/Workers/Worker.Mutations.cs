using Nscr.Cli.Torture.Model;

namespace Nscr.Cli.Torture.Workers;

/// <summary>Deletes (tag, manifest by digest, referrer), re-tags and cancelled uploads; each checks its effect.</summary>
public sealed partial class Worker
{
    private async Task DeleteTagAsync(CancellationToken cancellationToken)
    {
        var (repository, tag, _) = RandomTag();
        if (!await _oci.DeleteManifestAsync(repository.Name, tag, cancellationToken))
        {
            throw Missing($"{repository.Name}:{tag}: acknowledged tag answers 404 to DELETE");
        }
        repository.Untag(tag);
        _stats.Count("delete.tag");
        if (await _oci.ReadManifestAsync(repository.Name, tag, cancellationToken) is not null)
        {
            throw Inconsistent($"{repository.Name}:{tag} still resolves after its DELETE was accepted");
        }
    }

    private async Task DeleteByDigestAsync(CancellationToken cancellationToken)
    {
        var (repository, _, image) = RandomTag();
        if (!await _oci.DeleteManifestAsync(repository.Name, image.Digest, cancellationToken))
        {
            throw Missing($"{repository.Name}@{image.Digest}: tagged manifest answers 404 to DELETE");
        }
        var removedTags = repository.RemoveDigest(image.Digest);
        _stats.Count("delete.digest");
        if (await _oci.ReadManifestAsync(repository.Name, image.Digest, cancellationToken) is not null)
        {
            throw Inconsistent($"{repository.Name}@{image.Digest} still resolves after its DELETE was accepted");
        }
        foreach (var tag in removedTags)
        {
            if (await _oci.ReadManifestAsync(repository.Name, tag, cancellationToken) is not null)
            {
                throw Inconsistent($"{repository.Name}:{tag} still resolves after its manifest {image.Digest} was deleted");
            }
        }
    }

    private async Task DeleteReferrerAsync(CancellationToken cancellationToken)
    {
        var owners = _repositories
            .SelectMany(r => r.Images.Where(i => i.Referrers.Count > 0).Select(i => (Repository: r, Image: i)))
            .ToList();
        if (owners.Count == 0)
        {
            await VerifyRandomImageAsync(cancellationToken);
            return;
        }
        var (repository, image) = owners[_random.Next(owners.Count)];
        var referrer = image.Referrers[_random.Next(image.Referrers.Count)];
        if (!await _oci.DeleteManifestAsync(repository.Name, referrer.Digest, cancellationToken))
        {
            throw Missing($"{repository.Name}@{referrer.Digest}: referrer of tagged {image.Digest} answers 404 to DELETE");
        }
        image.RemoveReferrer(referrer.Digest);
        _stats.Count("delete.referrer");
        var listed = await _oci.ListReferrersAsync(repository.Name, image.Digest, cancellationToken);
        if (listed.Contains(referrer.Digest))
        {
            throw Inconsistent($"{repository.Name}: deleted referrer {referrer.Digest} is still listed for {image.Digest}");
        }
    }

    /// <summary>Puts a tagged image's manifest under a new tag, or moves another tag onto it. Everything it references
    /// is reachable, so the registry has no excuse to refuse.</summary>
    private async Task RetagAsync(CancellationToken cancellationToken)
    {
        var (repository, _, image) = RandomTag();
        var others = repository.Tags.Where(t => t.Value != image).Select(t => t.Key).ToList();
        var move = others.Count > 0 && _random.Next(100) < 40;
        var target = move ? others[_random.Next(others.Count)] : NewTag();
        var refusal = await _oci.PutManifestAsync(repository.Name, target, image.Root.Manifest, cancellationToken);
        if (refusal is not null)
        {
            throw Missing($"{repository.Name}: re-tagging tagged {image.Digest} as {target} was refused: {refusal.Message}");
        }
        repository.Tag(target, image);
        _stats.Count(move ? "retag.move" : "retag.new");
        await VerifyTagAsync(repository, target, image, cancellationToken);
    }

    /// <summary>
    /// Empties a repository (every image deleted by digest) and moves on to a brand-new one. The emptied repository is
    /// dropped by the next GC cycle and the new one joins the catalog with its first push: both are moments when a
    /// repository is missing from the catalog a cycle marks from, while its first manifest is being committed.
    /// </summary>
    private async Task RotateRepositoryAsync(CancellationToken cancellationToken)
    {
        var index = _random.Next(_repositories.Count);
        var repository = _repositories[index];
        foreach (var image in repository.Images.ToList())
        {
            if (!await _oci.DeleteManifestAsync(repository.Name, image.Digest, cancellationToken))
            {
                throw Missing($"{repository.Name}@{image.Digest}: tagged manifest answers 404 to DELETE");
            }
            repository.RemoveDigest(image.Digest);
        }
        await CheckTagListAsync(repository, cancellationToken);
        // Half the time the emptied repository stays in use (it is pushed to again after GC dropped it).
        if (_random.Next(2) == 0)
        {
            _retired.Add(repository);
            _repositories[index] = NewRepository();
        }
        _stats.Count("repository.rotate");
    }

    private async Task AbandonUploadAsync(CancellationToken cancellationToken)
    {
        await _oci.AbandonUploadAsync(RandomRepository().Name, _images.NewScratchBlob(), cancellationToken);
        _stats.Count("upload.cancel");
    }
}
