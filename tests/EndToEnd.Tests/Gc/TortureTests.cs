using System.CommandLine;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Torture.Report;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Gc;

/// <summary>Issue 3's proof, short: `nscr torture` against a real registry with GC grace 0 and a GC cycle always
/// running. Nothing tagged may be lost or corrupt, no 5xx, and after deleting everything and one cycle the data
/// dir holds no blob and no upload.</summary>
public sealed class TortureTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyDictionary<string, string> GraceZero = new Dictionary<string, string>
    {
        ["NSCR_GC_GRACE"] = "00:00:00",
    };

    [Fact]
    public Task FourWorkersWithContinuousGcLoseNothingAndGiveEveryByteBack() => TestScope.RunAsync(output, async scope =>
    {
        var registry = await scope.StartRegistryAsync(environment: GraceZero);
        // Distribution (the reference mode of this suite) has no online GC: there the OCI part runs alone.
        var reference = Environment.GetEnvironmentVariable(ServerLaunch.ReferenceVariable) == "distribution";
        string[] args =
        [
            "torture", "--url", registry.BaseAddress.ToString(), "--duration", "35s", "--workers", "4", "--seed", "20250603",
            "--data-dir", registry.DataDir, "--json", .. reference ? ["--no-gc"] : Array.Empty<string>(),
        ];

        scope.Step($"nscr {string.Join(' ', args)}");
        using var summaryText = new StringWriter();
        using var progress = new StringWriter();
        var exitCode = await NscrCommandLine.Create().Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = summaryText, Error = progress }, scope.CancellationToken);
        scope.Step("torture finished");
        output.WriteLine(progress.ToString());
        output.WriteLine(summaryText.ToString());

        var summary = SummaryWriter.ReadJson(summaryText.ToString());
        Assert.NotNull(summary);
        Assert.True(summary.FailureCount == 0, $"{summary.FailureCount} failure(s):\n" + string.Join('\n', summary.Failures));
        Assert.Equal(0, exitCode);
        Assert.True(summary.Passed);
        // The run did what it claims: pushes of every shape, pulls, deletes, re-tags.
        foreach (var operation in new[] { "push.image", "push.index", "push.referrer", "verify.image", "verify.blob", "delete.tag", "delete.digest", "retag.new" })
        {
            Assert.True(summary.Operations.GetValueOrDefault(operation) > 0, $"no {operation} in {string.Join(", ", summary.Operations)}");
        }
        if (reference) return;

        // GC really ran beside the workers, and the last cycle found the deleted repositories' bytes.
        Assert.True(summary.Gc.Cycles >= 3, $"only {summary.Gc.Cycles} GC cycles ran");
        var cleanup = Assert.IsType<Nscr.Cli.Torture.CleanupSummary>(summary.Cleanup);
        Assert.NotNull(cleanup.FinalCycle);
        Assert.True(cleanup.RepositoriesDeleted > 0);
        Assert.True(summary.Gc.DeletedBlobs > 0);
        // Every byte back, checked here too, not only by the command.
        Assert.Empty(FilesUnder(registry.DataDir, "blobs"));
        Assert.Empty(FilesUnder(registry.DataDir, "uploads"));
    }, deadline: TimeSpan.FromMinutes(4));

    private static IEnumerable<string> FilesUnder(string dataDir, string name)
    {
        var directory = Path.Combine(dataDir, name);
        return Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToList() : [];
    }
}
