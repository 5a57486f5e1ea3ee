using Nscr.Cli.Torture.Content;
using Nscr.Cli.Torture.Model;

namespace Nscr.Cli.Torture.Workers;

/// <summary>When something tagged is missing: what this worker last did with it, what the registry says now, whether
/// the file is on disk, and which observed GC cycle deleted it. Enough to tell a lost link from a deleted blob.</summary>
public sealed partial class Worker
{
    private const string TimeFormat = "HH:mm:ss.fff";

    /// <summary>The last thing this worker did with each blob digest (upload, HEAD, mount), with when and where.</summary>
    private readonly Dictionary<string, string> _journal = new(StringComparer.Ordinal);

    private void Journal(string digest, string repository, string what) =>
        _journal[digest] = $"{what} in {repository} at {DateTimeOffset.UtcNow.ToString(TimeFormat)}";

    private async Task<string> ExplainMissingBlobAsync(RepositoryModel repository, Descriptor blob, PushedManifest manifest, CancellationToken cancellationToken)
    {
        var facts = new List<string> { $"{manifest.Digest} acknowledged at {manifest.AcknowledgedAt.ToString(TimeFormat)}" };
        if (_journal.TryGetValue(blob.Digest, out var last)) facts.Add($"this worker last {last}");
        facts.Add(await _oci.BlobExistsAsync(repository.Name, blob, cancellationToken) ? "a HEAD now answers 200" : "a HEAD now answers 404");
        if (_settings.DataDir is { } dataDir)
        {
            var (algorithm, hex) = (blob.Digest[..blob.Digest.IndexOf(':')], blob.Digest[(blob.Digest.IndexOf(':') + 1)..]);
            facts.Add(File.Exists(Path.Combine(dataDir, "blobs", algorithm, hex[..2], hex))
                ? "its file is still in blobs/ (the repository's link went, not the bytes)"
                : "its file is gone from blobs/");
        }
        facts.Add(DescribeDeletion(blob.Digest, "the blob"));
        facts.Add(DescribeDeletion($"{repository.Name}@{manifest.Digest}", "the manifest"));
        return string.Join("; ", facts);
    }

    private string ExplainMissingManifest(RepositoryModel repository, PushedManifest manifest) => string.Join("; ",
        $"acknowledged at {manifest.AcknowledgedAt.ToString(TimeFormat)}",
        DescribeDeletion($"{repository.Name}@{manifest.Digest}", "it"));

    private string DescribeDeletion(string item, string what)
    {
        if (_ledger is null) return "(no GC ledger)";
        return _ledger.DeletedBy(item) is { } cycle
            ? $"GC cycle {cycle.Id} (started {cycle.StartedAt?.ToString(TimeFormat)}, cutoff {cycle.Cutoff?.ToString(TimeFormat)}) deleted {what}"
            : $"no observed GC cycle deleted {what}";
    }
}
