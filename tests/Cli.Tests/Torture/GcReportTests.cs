using Nscr.Cli.Torture.Gc;
using Xunit;

namespace Nscr.Cli.Tests.Torture;

public sealed class GcReportTests
{
    // The shape nscr answers to POST /api/gc?wait=true (items shortened).
    private const string Report = """
        {"id":3569,"dryRun":false,"trigger":"api","state":"completed","startedAt":"2026-11-27T06:03:23.4106079Z",
         "finishedAt":"2026-11-27T06:03:23.4399897Z","durationMs":29,"cutoff":"2026-11-27T06:03:23.4106079Z",
         "repositories":8,"marked":222,"scannedBlobs":254,"deletedTags":0,"deletedManifests":8,"deletedBlobs":32,
         "refusedBlobs":0,"deletedOrphanFiles":0,"expiredUploads":0,"droppedRepositories":0,"prunedLinks":0,
         "bytesReclaimed":1733723,"errors":[],"items":{"tags":[],"manifests":["a/b@sha256:fa"],"blobs":["sha256:bb"]}}
        """;

    [Fact]
    public void ReadsTheFiguresOfACycle()
    {
        var report = GcReport.Parse(Report);

        Assert.Equal(3569, report.Id);
        Assert.False(report.DryRun);
        Assert.True(report.Completed);
        Assert.Equal(32, report.DeletedBlobs);
        Assert.Equal(8, report.DeletedManifests);
        Assert.Equal(1733723, report.BytesReclaimed);
        Assert.Empty(report.Errors);
    }

    [Fact]
    public void ReadsErrorsAndAFailedState()
    {
        var report = GcReport.Parse("""{"id":4,"dryRun":true,"state":"failed","errors":["cycle stopped: boom","x"]}""");

        Assert.True(report.DryRun);
        Assert.False(report.Completed);
        Assert.Equal(["cycle stopped: boom", "x"], report.Errors);
    }

    [Fact]
    public void FindsTheLatestCycleIdRunningOrFinished()
    {
        Assert.Equal(0, GcReport.LatestId("""{"running":null,"history":[]}"""));
        Assert.Equal(12, GcReport.LatestId("""{"running":null,"history":[{"id":12},{"id":11}]}"""));
        Assert.Equal(13, GcReport.LatestId("""{"running":{"id":13},"history":[{"id":12}]}"""));
    }

    [Fact]
    public void TotalsKeepDryRunsApart()
    {
        var totals = new GcTotals()
            .Add(GcReport.Parse(Report))
            .Add(GcReport.Parse("""{"id":5,"dryRun":true,"state":"completed","deletedBlobs":99,"errors":["e"]}"""));

        Assert.Equal(1, totals.Cycles);
        Assert.Equal(1, totals.DryRuns);
        Assert.Equal(32, totals.DeletedBlobs);
        Assert.Equal(1, totals.Errors);
    }
}
