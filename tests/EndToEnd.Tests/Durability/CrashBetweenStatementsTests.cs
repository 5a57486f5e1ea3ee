using System.Net;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>
/// Issue 13's crash test: a SIGKILL between any two statements of a row transaction (or right after its commit) loses
/// nothing acknowledged and leaves no half write. Each test sweeps one kind of write over all its crash points
/// (<see cref="CrashSweep"/>).
/// </summary>
public sealed class CrashBetweenStatementsTests(ITestOutputHelper output)
{
    [Fact]
    public Task ManifestPutWithANewTag_IntoARepositoryWithContent() => SweepAsync("crash/put", CrashWrites.ManifestPutWithANewTag);

    [Fact]
    public Task FirstManifestPut_OfANewRepository() => SweepAsync(null, CrashWrites.FirstManifestPut);

    [Fact]
    public Task TagDelete() => SweepAsync("crash/untag", CrashWrites.TagDelete);

    [Fact]
    public Task ManifestDelete() => SweepAsync("crash/delete", CrashWrites.ManifestDelete);

    [Fact]
    public Task BlobUploadCommit() => SweepAsync("crash/blob", CrashWrites.BlobUpload);

    [Fact]
    public Task CrossRepositoryMount() => SweepAsync("crash/mount", CrashWrites.Mount);

    [Fact]
    public Task GcCycle() => CrashSweep.RunAsync(output, "crash/gc", CrashWrites.GcCycle, new Dictionary<string, string> { ["NSCR_GC_GRACE"] = "0" });

    private Task SweepAsync(string? repository, Func<CrashSweep, string, InterruptedWrite> write) =>
        CrashSweep.RunAsync(output, repository, write);
}
