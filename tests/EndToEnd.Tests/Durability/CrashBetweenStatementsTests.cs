using System.Net;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>
/// Issue 13's crash test: a SIGKILL between any two statements of a row transaction (or right after its commit) loses
/// nothing acknowledged and leaves no half write. Each test sweeps one kind of write of a repository's rows over all its
/// crash points (<see cref="CrashSweep"/>); the blobs' are in <see cref="CrashBetweenBlobStatementsTests"/>.
/// </summary>
public sealed class CrashBetweenStatementsTests(ITestOutputHelper output)
{
    [Fact]
    public Task ManifestPutWithANewTag_IntoARepositoryWithContent() => CrashSweep.RunAsync(output, "crash/put", CrashWrites.ManifestPutWithANewTag);

    [Fact]
    public Task ManifestPutMovingATag() => CrashSweep.RunAsync(output, "crash/move", CrashWrites.TagMove);

    [Fact]
    public Task FirstManifestPut_OfANewRepository() => CrashSweep.RunAsync(output, null, CrashWrites.FirstManifestPut);

    [Fact]
    public Task TagDelete() => CrashSweep.RunAsync(output, "crash/untag", CrashWrites.TagDelete);

    [Fact]
    public Task ManifestDelete() => CrashSweep.RunAsync(output, "crash/delete", CrashWrites.ManifestDelete);
}
