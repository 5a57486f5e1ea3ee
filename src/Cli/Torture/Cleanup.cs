using System.Text.Json;
using Nscr.Cli.Torture.Gc;
using Nscr.Cli.Torture.Http;
using Nscr.Cli.Torture.Model;
using Nscr.Cli.Torture.Report;

namespace Nscr.Cli.Torture;

/// <summary>What the end of a run found: repositories deleted, the last cycle's report, the data dir's leftovers.</summary>
public sealed record CleanupSummary(int RepositoriesDeleted, GcReport? FinalCycle, DataDirContents? DataDir);

/// <summary>The end of a run: delete every repository the workers used, wait until they are gone, run exactly one GC
/// cycle, and (given the data dir) require that blobs/ and uploads/ hold no file: every byte came back.</summary>
public sealed class Cleanup(AdminClient admin, OciClient oci, GcLoop gc, TortureStats stats, TortureSettings settings)
{
    private const string Where = "cleanup";

    public async Task<CleanupSummary> RunAsync(IReadOnlyList<RepositoryModel> repositories, CancellationToken cancellationToken)
    {
        var deleted = 0;
        GcReport? report = null;
        try
        {
            foreach (var repository in repositories.Where(r => r.EverPushed))
            {
                if (await admin.DeleteRepositoryAsync(repository.Name, cancellationToken)) deleted++;
                else if (repository.Tags.Count > 0)
                {
                    stats.Fail(Where, FailureKinds.Missing, $"DELETE /api/repositories/{repository.Name} answered 404 with {repository.Tags.Count} tag(s) acknowledged");
                }
                stats.Count("cleanup.delete-repository");
            }
            await WaitUntilGoneAsync(repositories, cancellationToken);
            report = await RunOneCycleAsync(cancellationToken);
        }
        catch (AdminApiMissingException e)
        {
            stats.Fail(Where, FailureKinds.Gc, e.Message);
            return new CleanupSummary(deleted, null, null);
        }
        catch (RegistryResponseException e)
        {
            stats.Fail(Where, e.IsServerError ? FailureKinds.ServerError : FailureKinds.UnexpectedResponse, e.Message);
            return new CleanupSummary(deleted, report, null);
        }
        catch (RegistryTransportException e)
        {
            stats.Fail(Where, FailureKinds.NoAnswer, e.Message);
            return new CleanupSummary(deleted, report, null);
        }
        catch (JsonException e)
        {
            stats.Fail(Where, FailureKinds.Gc, $"a JSON answer does not parse: {e.Message}");
            return new CleanupSummary(deleted, report, null);
        }

        DataDirContents? contents = null;
        if (settings.DataDir is { } dataDir)
        {
            contents = DataDirContents.Inspect(dataDir);
            if (!contents.IsEmpty)
            {
                stats.Fail(Where, FailureKinds.Leftover,
                    $"after deleting every repository and one GC cycle, {contents.BlobFiles} file(s) in blobs/ and {contents.UploadFiles} in uploads/ ({contents.Bytes} bytes) remain: {string.Join(", ", contents.Sample)}");
            }
        }
        return new CleanupSummary(deleted, report, contents);
    }

    /// <summary>A repository deletion is accepted (202) before it need be visible: poll until no tag is listed.</summary>
    private async Task WaitUntilGoneAsync(IReadOnlyList<RepositoryModel> repositories, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settings.CleanupDeadline;
        foreach (var repository in repositories.Where(r => r.EverPushed))
        {
            while (await oci.ListTagsAsync(repository.Name, cancellationToken) is { Count: > 0 } tags)
            {
                if (DateTime.UtcNow > deadline)
                {
                    stats.Fail(Where, FailureKinds.Inconsistent,
                        $"{repository.Name} still lists {tags.Count} tag(s) {settings.CleanupDeadline.TotalSeconds:0} s after its deletion was accepted");
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    /// <summary>One complete, non-dry cycle that started after the deletions. A POST while a cycle runs answers that
    /// cycle (it may have started before the deletions, e.g. on the reminder): then ask again.</summary>
    private async Task<GcReport?> RunOneCycleAsync(CancellationToken cancellationToken)
    {
        var before = GcReport.LatestId(await admin.GetGcAsync(cancellationToken));
        var deadline = DateTime.UtcNow + settings.CleanupDeadline;
        while (true)
        {
            var report = await admin.RunGcAsync(dryRun: false, cancellationToken);
            if (report.Id > before && !report.DryRun)
            {
                gc.Record(report);
                stats.Count("cleanup.gc");
                return report;
            }
            if (DateTime.UtcNow > deadline)
            {
                stats.Fail(Where, FailureKinds.Gc, $"no new GC cycle after {settings.CleanupDeadline.TotalSeconds:0} s (the registry keeps answering cycle {report.Id})");
                return null;
            }
        }
    }
}
