using Nscr.Cli.Torture.Content;
using Nscr.Cli.Torture.Http;
using Nscr.Cli.Torture.Model;

namespace Nscr.Cli.Torture.Workers;

/// <summary>Pulls: every tagged image must resolve, and its manifest, children, referrers and every blob must hash
/// to their digests. A 404 on any of them is a lost acknowledged push.</summary>
public sealed partial class Worker
{
    private Task VerifyRandomImageAsync(CancellationToken cancellationToken)
    {
        var (repository, tag, image) = RandomTag();
        return VerifyImageAsync(repository, tag, image, cancellationToken);
    }

    /// <summary>Every repository's tag list and every tagged image, each image's content once.</summary>
    private async Task VerifyEverythingAsync(CancellationToken cancellationToken)
    {
        foreach (var repository in Repositories)
        {
            await CheckTagListAsync(repository, cancellationToken);
            var verified = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (tag, image) in repository.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                if (verified.Add(image.Digest)) await VerifyImageAsync(repository, tag, image, cancellationToken);
                else await VerifyTagAsync(repository, tag, image, cancellationToken);
            }
        }
        _stats.Count("verify.sweep");
    }

    private async Task VerifyImageAsync(RepositoryModel repository, string tag, Image image, CancellationToken cancellationToken)
    {
        await VerifyTagAsync(repository, tag, image, cancellationToken);
        var blobsSeen = new HashSet<string>(StringComparer.Ordinal);
        await VerifyContentAsync(repository, image.Root, blobsSeen, cancellationToken);

        var listed = await _oci.ListReferrersAsync(repository.Name, image.Digest, cancellationToken);
        var expected = image.Referrers.Select(r => r.Digest).ToHashSet(StringComparer.Ordinal);
        if (expected.Except(listed).FirstOrDefault() is { } lost)
        {
            throw Missing($"{repository.Name}: referrer {lost} of tagged {image.Digest} is not listed by GET referrers");
        }
        if (listed.Except(expected).FirstOrDefault() is { } unexpected)
        {
            throw Inconsistent($"{repository.Name}: GET referrers of {image.Digest} lists {unexpected}, which was never pushed or was deleted");
        }
        foreach (var referrer in image.Referrers)
        {
            await ReadManifestAsync(repository, referrer.Digest, referrer, $"referrer of {image.Digest}", cancellationToken);
            await VerifyContentAsync(repository, referrer, blobsSeen, cancellationToken);
        }
        _stats.Count("verify.image");
    }

    /// <summary>The tag resolves to exactly the acknowledged manifest bytes.</summary>
    private Task VerifyTagAsync(RepositoryModel repository, string tag, Image image, CancellationToken cancellationToken) =>
        ReadManifestAsync(repository, tag, image.Root, "tag", cancellationToken);

    /// <summary>Children (by digest) and blobs of <paramref name="manifest"/>, recursively; each blob once per image.</summary>
    private async Task VerifyContentAsync(RepositoryModel repository, PushedManifest manifest, HashSet<string> blobsSeen, CancellationToken cancellationToken)
    {
        foreach (var child in manifest.Children)
        {
            await ReadManifestAsync(repository, child.Digest, child, $"child of {manifest.Digest}", cancellationToken);
            await VerifyContentAsync(repository, child, blobsSeen, cancellationToken);
        }
        foreach (var blob in manifest.Blobs)
        {
            if (!blobsSeen.Add(blob.Digest)) continue;
            var read = await _oci.ReadBlobAsync(repository.Name, blob.Digest, cancellationToken);
            if (read is null)
            {
                var facts = await ExplainMissingBlobAsync(repository, blob, manifest, cancellationToken);
                throw Missing($"{repository.Name}: blob {blob.Digest} of tagged manifest {manifest.Digest} answers 404 ({facts})");
            }
            if (read.Digest != blob.Digest || read.Length != blob.Size)
            {
                throw Corrupt($"{repository.Name}: blob {blob.Digest} ({blob.Size} bytes) read back as {read.Digest} ({read.Length} bytes)");
            }
            _stats.Count("verify.blob");
        }
    }

    private async Task ReadManifestAsync(RepositoryModel repository, string reference, PushedManifest expected, string role, CancellationToken cancellationToken)
    {
        var what = $"{repository.Name}@{reference} ({role})";
        var read = await _oci.ReadManifestAsync(repository.Name, reference, cancellationToken)
            ?? throw Missing($"{what}: {expected.Digest} answers 404 ({ExplainMissingManifest(repository, expected)})");
        if (!read.Body.AsSpan().SequenceEqual(expected.Manifest.Bytes))
        {
            throw Corrupt($"{what}: expected {expected.Digest}, got {read.Body.Length} bytes hashing to {Digests.Sha256(read.Body)}");
        }
        if (read.DigestHeader is { } header && header != expected.Digest)
        {
            throw Corrupt($"{what}: Docker-Content-Digest {header}, expected {expected.Digest}");
        }
        if (read.MediaType != expected.Manifest.MediaType)
        {
            throw Corrupt($"{what}: Content-Type {read.MediaType}, pushed as {expected.Manifest.MediaType}");
        }
        _stats.Count("verify.manifest");
    }

    /// <summary>The registry lists exactly the acknowledged tags (nobody else writes this repository).</summary>
    private async Task CheckTagListAsync(RepositoryModel repository, CancellationToken cancellationToken)
    {
        var listed = await _oci.ListTagsAsync(repository.Name, cancellationToken);
        var expected = repository.Tags.Keys.ToHashSet(StringComparer.Ordinal);
        if (listed is null)
        {
            if (expected.Count > 0) throw Missing($"{repository.Name}: tags/list answers 404 with {expected.Count} tag(s) acknowledged");
        }
        else
        {
            if (expected.Except(listed).FirstOrDefault() is { } lost) throw Missing($"{repository.Name}: acknowledged tag {lost} is not listed");
            if (listed.Except(expected).FirstOrDefault() is { } extra) throw Inconsistent($"{repository.Name}: tag {extra} is listed but was deleted or never pushed");
        }
        _stats.Count("tags.list");
    }
}
