using System.Text.Json;
using Nscr.Cli.Tests.Infrastructure;
using Xunit;

namespace Nscr.Cli.Tests.EndToEnd;

/// <summary>rm, gc and fsck against the real registry (GC grace 0): human output, --json, exit codes.</summary>
public sealed class WriteCommandsTests(CliRegistry registry) : IClassFixture<CliRegistry>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task RmDeletesATagThenAManifestThenTheRepository()
    {
        var repository = Unique("rm/app");
        var first = await registry.Pusher.PushImageAsync(repository, "1", [ImagePusher.RandomBytes(500)]);
        await registry.Pusher.PushImageAsync(repository, "2", [ImagePusher.RandomBytes(500)]);
        await registry.Pusher.PushImageAsync(repository, "3", [ImagePusher.RandomBytes(500)]);

        // Not on a terminal: nothing is deleted without --yes.
        var refused = await registry.RunAsync("rm", $"{repository}:1");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--yes", refused.Error);
        Assert.Equal(3, (await registry.RunAsync("tags", repository, "--json")).Json.GetProperty("tags").GetArrayLength());

        var tag = await registry.RunAsync("rm", $"{repository}:2", "--yes", "--json");
        Assert.True(tag.ExitCode == 0, tag.ToString());
        Assert.Equal("2", tag.Json.GetProperty("tag").GetString());
        Assert.Equal(3, (await registry.RunAsync("tags", repository, "--json")).Json.GetProperty("tags").GetArrayLength() + 1);

        var manifest = await registry.RunAsync("rm", $"{repository}@{first.Digest}", "-y");
        Assert.True(manifest.ExitCode == 0, manifest.ToString());
        Assert.Equal($"deleted manifest {repository}@{first.Digest}\n", manifest.Out);
        var gone = await registry.RunAsync("inspect", $"{repository}@{first.Digest}");
        Assert.Equal(3, gone.ExitCode);
        Assert.Contains("MANIFEST_UNKNOWN", gone.Error);

        var again = await registry.RunAsync("rm", $"{repository}:2", "-y");
        Assert.Equal(3, again.ExitCode);

        var whole = await registry.RunAsync("rm", "--repo", repository, "--yes", "--json");
        Assert.True(whole.ExitCode == 0, whole.ToString());
        // Manifest 3, and manifest 2 that lost its tag (untagged, it stays until a GC cycle).
        Assert.Equal(2, whole.Json.GetProperty("deletedManifests").GetInt32());
        var unknown = await registry.RunAsync("tags", repository);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains($"NAME_UNKNOWN: repository {repository} is not known", unknown.Error);
    }

    [Fact]
    public async Task RmAsksOnATerminal()
    {
        var repository = Unique("rm/ask");
        await registry.Pusher.PushImageAsync(repository, "1", [ImagePusher.RandomBytes(100)]);
        var no = await RunOnTerminalAsync("n\n", "rm", $"{repository}:1");
        Assert.Equal(2, no.ExitCode);
        Assert.Contains($"Delete tag {repository}:1? [y/N]", no.Error);
        Assert.Contains("not deleted", no.Error);

        var yes = await RunOnTerminalAsync("y\n", "rm", $"{repository}:1");
        Assert.True(yes.ExitCode == 0, yes.ToString());
        Assert.Empty((await registry.RunAsync("tags", repository, "--json")).Json.GetProperty("tags").EnumerateArray());
    }

    [Fact]
    public async Task GcWaitReclaimsWhatRmDeleted()
    {
        var repository = Unique("gc/app");
        await registry.Pusher.PushImageAsync(repository, "1", [ImagePusher.RandomBytes(30_000)]);
        Assert.Equal(0, (await registry.RunAsync("rm", "--repo", repository, "-y")).ExitCode);

        var dry = await registry.RunAsync("gc", "--dry-run", "--wait", "--json");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.True(dry.Json.GetProperty("dryRun").GetBoolean());
        Assert.Equal("completed", dry.Json.GetProperty("state").GetString());
        Assert.True(dry.Json.GetProperty("bytesReclaimed").GetInt64() >= 30_000);

        var real = await registry.RunAsync("gc", "--wait");
        Assert.True(real.ExitCode == 0, real.ToString());
        Assert.Matches(@"cycle\s+\d+ completed", real.Out);
        Assert.Matches(@"reclaimed\s+\d+\.\d KiB", real.Out);

        var started = await registry.RunAsync("gc", "--json");
        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.True(started.Json.GetProperty("id").GetInt64() > 0);
        var status = await registry.RunAsync("status", "--json");
        Assert.Equal(JsonValueKind.Object, status.Json.GetProperty("gc").GetProperty("last").ValueKind);
    }

    [Fact]
    public async Task FsckFindsACorruptBlobAndExitsOne()
    {
        var clean = await registry.RunAsync("fsck", "--json");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.True(clean.Json.GetProperty("ok").GetBoolean());
        var human = await registry.RunAsync("fsck");
        Assert.StartsWith("ok: ", human.Out);

        var repository = Unique("fsck/app");
        var layer = ImagePusher.RandomBytes(4096);
        await registry.Pusher.PushImageAsync(repository, "1", [layer]);
        var digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(layer));
        var file = Directory.EnumerateFiles(Path.Combine(registry.DataDir, "blobs"), "*", SearchOption.AllDirectories)
            .Single(f => f.Contains(digest[7..]));
        try
        {
            await File.WriteAllBytesAsync(file, ImagePusher.RandomBytes(4096));
            var corrupt = await registry.RunAsync("fsck", "--json");
            Assert.Equal(1, corrupt.ExitCode);
            Assert.False(corrupt.Json.GetProperty("ok").GetBoolean());
            Assert.Equal(digest, Assert.Single(corrupt.Json.GetProperty("corrupt").EnumerateArray()).GetProperty("digest").GetString());
            var text = await registry.RunAsync("fsck");
            Assert.Equal(1, text.ExitCode);
            Assert.Contains("PROBLEMS FOUND", text.Out);
            Assert.Contains(digest, text.Out);
        }
        finally
        {
            await File.WriteAllBytesAsync(file, layer);
        }
    }

    private Task<CliRun> RunOnTerminalAsync(string input, params string[] args) =>
        CliRun.RunAsync(registry.Environment(), input, args, inputIsTerminal: true);
}
