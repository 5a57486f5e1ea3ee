using Nscr.Cli.Torture.Content;
using Nscr.Cli.Torture.Model;
using Nscr.Cli.Torture.Report;

namespace Nscr.Cli.Torture.Workers;

/// <summary>Pushes: blobs by every upload flow (or HEAD/mount for shared ones), then children, then the manifest.
/// A manifest refused because GC deleted what it references is a legal race: upload everything again and retry.</summary>
public sealed partial class Worker
{
    private async Task PushAsync(CancellationToken cancellationToken)
    {
        var repository = RandomRepository();
        var docker = _random.Next(100) < 25;
        var plan = _random.Next(100) < 25 ? _images.NewIndex(docker) : _images.NewImage(docker);
        var tag = NewTag();
        await PushPlanAsync(repository, plan, tag, cancellationToken);
        var image = new Image(PushedManifest.From(plan));
        repository.Tag(tag, image);
        _stats.Count(plan.IsIndex ? "push.index" : "push.image");

        // Referrers are OCI artifacts (Docker manifests have no subject).
        if (!docker && _random.Next(100) < 30)
        {
            for (var i = _random.Next(1, 3); i > 0; i--)
            {
                var referrer = _images.NewReferrer(plan.Manifest.Descriptor);
                await PushPlanAsync(repository, referrer, null, cancellationToken);
                image.AddReferrer(PushedManifest.From(referrer));
                _stats.Count("push.referrer");
            }
        }
        // What was acknowledged must read back at once.
        await VerifyImageAsync(repository, tag, image, cancellationToken);
    }

    /// <summary>Pushes <paramref name="plan"/> under <paramref name="tag"/> (or by digest when null), retrying legal GC races.</summary>
    private async Task PushPlanAsync(RepositoryModel repository, ManifestPlan plan, string? tag, CancellationToken cancellationToken)
    {
        string? refusal = null;
        for (var attempt = 1; attempt <= _settings.MaxPushAttempts; attempt++)
        {
            refusal = await TryPushAsync(repository, plan, tag ?? plan.Digest, forceUpload: attempt > 1, cancellationToken);
            if (refusal is null) return;
            _stats.Retry(refusal);
        }
        throw new TortureFailureException(
            FailureKinds.Starved,
            $"push of {plan.Digest} to {repository.Name}: refused {_settings.MaxPushAttempts} times although everything was uploaded again each time (last: {refusal})");
    }

    /// <summary>One attempt; returns the refusal ("MANIFEST_BLOB_UNKNOWN on index", ...) or null when acknowledged.</summary>
    private async Task<string?> TryPushAsync(RepositoryModel repository, ManifestPlan plan, string reference, bool forceUpload, CancellationToken cancellationToken)
    {
        foreach (var child in plan.Children)
        {
            var refused = await TryPushAsync(repository, child, child.Digest, forceUpload, cancellationToken);
            if (refused is not null) return refused;
        }
        foreach (var blob in plan.Blobs)
        {
            await EnsureBlobAsync(repository.Name, blob, forceUpload, cancellationToken);
        }
        var code = await _oci.PutManifestAsync(repository.Name, reference, plan.Manifest, cancellationToken);
        if (code is not null) return $"{code} on {(plan.IsIndex ? "index" : "manifest")} PUT";
        repository.MarkPushed();
        return null;
    }

    /// <summary>Makes <paramref name="blob"/> present in the repository. Shared blobs may be found by HEAD or mounted
    /// from another repository, as clients do; a retry after a GC race always uploads.</summary>
    private async Task EnsureBlobAsync(string repository, Blob blob, bool forceUpload, CancellationToken cancellationToken)
    {
        var shared = _bases.IsShared(blob.Digest);
        if (shared && !forceUpload)
        {
            var roll = _random.Next(100);
            if (roll < 40 && await _oci.BlobExistsAsync(repository, blob.Descriptor, cancellationToken))
            {
                _stats.Count("blob.exists");
                return;
            }
            if (roll is >= 40 and < 70 && _hints.From(blob.Digest, repository) is { } from)
            {
                if (await _oci.TryMountAsync(repository, blob.Digest, from, cancellationToken))
                {
                    _stats.Count("blob.mount");
                    _hints.Saw(blob.Digest, repository);
                    return;
                }
                _stats.Count("blob.mount.fallback");
            }
        }
        await UploadAsync(repository, blob, cancellationToken);
        if (shared) _hints.Saw(blob.Digest, repository);
    }

    private async Task UploadAsync(string repository, Blob blob, CancellationToken cancellationToken)
    {
        var size = blob.Bytes.Length;
        var roll = size > 512 * 1024 ? 100 : _random.Next(100);
        if (roll < 45)
        {
            await _oci.PushMonolithicAsync(repository, blob, cancellationToken);
            _stats.Count("blob.upload.monolithic");
        }
        else if (roll < 75)
        {
            await _oci.PushPostPutAsync(repository, blob, cancellationToken);
            _stats.Count("blob.upload.post-put");
        }
        else
        {
            var chunk = size > 512 * 1024 ? _random.Next(64 * 1024, 1024 * 1024) : _random.Next(4 * 1024, 64 * 1024);
            await _oci.PushChunkedAsync(repository, blob, chunk, cancellationToken);
            _stats.Count("blob.upload.chunked");
        }
    }
}
