using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>
/// The crash sweep (<see cref="CrashSweep"/>) over the writes of the blobs' rows: an upload's commit, a mount and the
/// GC's deletions. A class of its own so that it runs beside <see cref="CrashBetweenStatementsTests"/>.
/// </summary>
public sealed class CrashBetweenBlobStatementsTests(ITestOutputHelper output)
{
    [Fact]
    public Task BlobUploadCommit() => CrashSweep.RunAsync(output, "crash/blob", CrashWrites.BlobUpload);

    [Fact]
    public Task CrossRepositoryMount() => CrashSweep.RunAsync(output, "crash/mount", CrashWrites.Mount);

    [Fact]
    public Task GcCycle() => CrashSweep.RunAsync(output, "crash/gc", CrashWrites.GcCycle, new Dictionary<string, string> { ["NSCR_GC_GRACE"] = "0" });
}
