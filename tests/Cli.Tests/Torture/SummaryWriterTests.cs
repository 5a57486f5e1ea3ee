using Nscr.Cli.Torture;
using Nscr.Cli.Torture.Gc;
using Nscr.Cli.Torture.Report;
using Xunit;

namespace Nscr.Cli.Tests.Torture;

public sealed class SummaryWriterTests
{
    private static readonly TortureSettings Settings = new(new Uri("http://127.0.0.1:7000/"), TimeSpan.FromSeconds(30), 4, 42, "/data");

    [Fact]
    public void JsonRoundTripsAndTellsWhetherTheRunPassed()
    {
        var stats = new TortureStats();
        stats.Count("push.image");
        stats.Count("push.image");
        stats.Retry("MANIFEST_BLOB_UNKNOWN on manifest PUT");
        stats.RecordPushAttempts(3);
        var cycle = new GcReport(7, false, "completed", 5, 1, 1234, []);
        stats.AddGcCycle(cycle);
        var cleanup = new CleanupSummary(8, cycle, new DataDirContents(0, 0, 0, []));
        var summary = TortureSummary.From(Settings, stats, cleanup, interrupted: false);

        using var text = new StringWriter();
        SummaryWriter.WriteJson(summary, text);
        var read = SummaryWriter.ReadJson(text.ToString());

        Assert.NotNull(read);
        Assert.True(read.Passed);
        Assert.Contains("\"passed\": true", text.ToString());
        Assert.Equal(2, read.Operations["push.image"]);
        Assert.Equal(1, read.TotalRetries);
        Assert.Equal(3, read.MaxPushAttempts);
        Assert.Equal(1, read.Gc.Cycles);
        Assert.Equal(1234, read.Gc.BytesReclaimed);
        Assert.True(read.Cleanup!.DataDir!.IsEmpty);
    }

    [Fact]
    public void AFailureOrAMissingFinalCycleFailsTheRun()
    {
        var stats = new TortureStats();
        Assert.False(TortureSummary.From(Settings, stats, cleanup: null, interrupted: false).Passed);

        stats.Fail("worker-1", FailureKinds.Missing, "tag t3 answers 404");
        var cleanup = new CleanupSummary(1, new GcReport(1, false, "completed", 0, 0, 0, []), null);
        var summary = TortureSummary.From(Settings, stats, cleanup, interrupted: false);

        Assert.False(summary.Passed);
        using var text = new StringWriter();
        SummaryWriter.WriteText(summary, text);
        Assert.Contains("failures     1", text.ToString());
        Assert.Contains("worker-1 missing: tag t3 answers 404", text.ToString());
        Assert.EndsWith("FAILED" + Environment.NewLine, text.ToString());
    }

    [Fact]
    public void WithoutGcNoCleanupIsNeeded()
    {
        var summary = TortureSummary.From(Settings with { RunGc = false }, new TortureStats(), cleanup: null, interrupted: false);
        Assert.True(summary.Passed);
        Assert.False(TortureSummary.From(Settings with { RunGc = false }, new TortureStats(), null, interrupted: true).Passed);
    }
}
