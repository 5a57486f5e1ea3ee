using System.Net;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Api;

/// <summary>A registry whose upload sessions expire after one second of idleness.</summary>
public sealed class ShortUploadTimeoutRegistry() : GcRegistry(new Dictionary<string, string> { ["UploadTimeout"] = "1s" });

public sealed class UploadAndOrphanCollectionTests(ShortUploadTimeoutRegistry registry) : IClassFixture<ShortUploadTimeoutRegistry>
{
    private RegistryClient Client => registry.Client;

    [Fact]
    public async Task An_idle_upload_session_expires_with_its_staged_bytes()
    {
        var repository = TestContent.Repository("gc-upload");
        var location = await Client.StartUploadAsync(repository);
        using (var patch = await Client.PatchChunkAsync(location, TestContent.RandomBytes(4000), 0))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, patch);
        }
        var id = Uploads.SessionId(location);
        Assert.True(File.Exists(Path.Combine(registry.DataDir, "uploads", id)));

        // Cycles until one finds the session idle for longer than the timeout (a second after the last chunk).
        var report = await RunUntilAsync(r => r.Items("uploads").Contains(id));

        Assert.True(report.Number("expiredUploads") >= 1);
        Assert.False(File.Exists(Path.Combine(registry.DataDir, "uploads", id)));
        using var status = await Client.GetAsync(location);
        await OciAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Orphan_files_no_grain_knows_are_deleted_once_old_and_young_ones_stay()
    {
        var oldStaged = Path.Combine(registry.DataDir, "uploads", Guid.NewGuid().ToString("N"));
        var youngStaged = Path.Combine(registry.DataDir, "uploads", Guid.NewGuid().ToString("N"));
        var orphanBytes = TestContent.RandomBytes(300);
        var orphanBlob = registry.BlobPath(Digest.Compute(orphanBytes));
        Directory.CreateDirectory(Path.GetDirectoryName(orphanBlob)!);
        await File.WriteAllBytesAsync(oldStaged, TestContent.RandomBytes(200));
        await File.WriteAllBytesAsync(youngStaged, TestContent.RandomBytes(100));
        await File.WriteAllBytesAsync(orphanBlob, orphanBytes);
        // Left by a crash a while ago. A staged file without a session may be an upload on its way for up to a minute.
        var longAgo = DateTime.UtcNow - TimeSpan.FromMinutes(5);
        File.SetLastWriteTimeUtc(oldStaged, longAgo);
        File.SetLastWriteTimeUtc(orphanBlob, longAgo);

        var report = await Client.RunGcAsync();

        Assert.False(File.Exists(oldStaged));
        Assert.False(File.Exists(orphanBlob));
        Assert.True(File.Exists(youngStaged));
        var orphans = report.Items("orphanFiles");
        Assert.Contains($"uploads/{Path.GetFileName(oldStaged)}", orphans);
        Assert.Contains($"blobs/{Digest.Compute(orphanBytes)}", orphans);
        Assert.True(report.Number("deletedOrphanFiles") >= 2);
        Assert.True(report.Number("bytesReclaimed") >= 500);
    }

    private async Task<JsonObject> RunUntilAsync(Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var report = await Client.RunGcAsync();
            if (done(report)) return report;
            Assert.True(DateTime.UtcNow < deadline, "no cycle did it within 30 s");
        }
    }
}
