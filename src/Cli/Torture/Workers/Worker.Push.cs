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
        var reference = tag ?? plan.Digest;
        var refusal = await TryPushAsync(repository, plan, reference, cancellationToken);
        for (var attempt = 2; refusal is not null; attempt++)
        {
            _stats.Retry(refusal.Reason);
            if (attempt > _settings.MaxPushAttempts)
            {
                throw new TortureFailureException(
                    FailureKinds.Starved,
                    $"push of {plan.Digest} to {repository.Name}: refused {_settings.MaxPushAttempts} times although what was missing was uploaded again each time (last: {refusal.Message})");
            }
            refusal = await RepairAsync(repository, plan, reference, cancellationToken);
            if (refusal is null) _stats.RecordPushAttempts(attempt);
        }
    }

    /// <summary>One attempt; returns the refusal or null when acknowledged.</summary>
    private async Task<Refusal?> TryPushAsync(RepositoryModel repository, ManifestPlan plan, string reference, CancellationToken cancellationToken)
    {
        foreach (var child in plan.Children)
        {
            var refused = await TryPushAsync(repository, child, child.Digest, cancellationToken);
            if (refused is not null) return refused;
        }
        foreach (var blob in plan.Blobs)
        {
            await EnsureBlobAsync(repository.Name, blob, cancellationToken);
        }
        return await PutAsync(repository, plan, reference, cancellationToken);
    }

    /// <summary>
    /// A retry after a GC race, as a client does it: check what is still there (a HEAD counts as a touch, which the
    /// GC's grace honours), upload only what is gone, and PUT at once. Everything runs in parallel: with grace 0 and
    /// cycles back to back, only a short window between the checks and the PUT lets a push through.
    /// </summary>
    private async Task<Refusal?> RepairAsync(RepositoryModel repository, ManifestPlan plan, string reference, CancellationToken cancellationToken)
    {
        var children = await Task.WhenAll(plan.Children.Select(async child =>
            await _oci.ManifestExistsAsync(repository.Name, child.Digest, cancellationToken)
                ? null
                : await RepairAsync(repository, child, child.Digest, cancellationToken)));
        if (children.FirstOrDefault(r => r is not null) is { } refused) return refused;
        await Task.WhenAll(plan.Blobs.Select(async blob =>
        {
            if (await _oci.BlobExistsAsync(repository.Name, blob.Descriptor, cancellationToken))
            {
                Journal(blob.Digest, repository.Name, "found it by HEAD (retry)");
                return;
            }
            await _oci.PushMonolithicAsync(repository.Name, blob, cancellationToken);
            _stats.Count("blob.reupload");
            Journal(blob.Digest, repository.Name, "uploaded it again (retry)");
        }));
        return await PutAsync(repository, plan, reference, cancellationToken);
    }

    private async Task<Refusal?> PutAsync(RepositoryModel repository, ManifestPlan plan, string reference, CancellationToken cancellationToken)
    {
        var refused = await _oci.PutManifestAsync(repository.Name, reference, plan.Manifest, cancellationToken);
        if (refused is not null) return new Refusal($"{refused.Code} on {(plan.IsIndex ? "index" : "manifest")} PUT", refused.Message);
        repository.MarkPushed();
        return null;
    }

    /// <summary>Makes <paramref name="blob"/> present in the repository. Shared blobs may be found by HEAD or mounted
    /// from another repository, as clients do.</summary>
    private async Task EnsureBlobAsync(string repository, Blob blob, CancellationToken cancellationToken)
    {
        var shared = _bases.IsShared(blob.Digest);
        if (shared)
        {
            var roll = _random.Next(100);
            if (roll < 40 && await _oci.BlobExistsAsync(repository, blob.Descriptor, cancellationToken))
            {
                _stats.Count("blob.exists");
                Journal(blob.Digest, repository, "found it by HEAD");
                return;
            }
            if (roll is >= 40 and < 70 && _hints.From(blob.Digest, repository) is { } from)
            {
                if (await _oci.TryMountAsync(repository, blob.Digest, from, cancellationToken))
                {
                    _stats.Count("blob.mount");
                    Journal(blob.Digest, repository, $"mounted it from {from}");
                    _hints.Saw(blob.Digest, repository);
                    return;
                }
                _stats.Count("blob.mount.fallback");
            }
        }
        await UploadAsync(repository, blob, cancellationToken);
        Journal(blob.Digest, repository, "uploaded it");
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

    /// <summary>Why an attempt did not go through: <paramref name="Reason"/> groups the retries in the summary.</summary>
    private sealed record Refusal(string Reason, string Message);
}
