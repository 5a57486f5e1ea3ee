using System.Net;
using Microsoft.Data.Sqlite;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api;

/// <summary>
/// The data dir (database and blobs) on a 16 MiB tmpfs that a test fills for real: requests answer 507 with a message
/// naming the cause, and a failed repository delete leaves the repository whole, listed, pullable and kept by GC.
/// </summary>
public sealed class FullDiskTests
{
    [TmpfsFact]
    public async Task A_repository_delete_on_a_full_disk_answers_507_and_leaves_the_repository_whole()
    {
        using var mount = TmpfsMount.TryMount(16, out var refusal) ?? throw new InvalidOperationException(refusal);
        await using var registry = await GcRegistry.StartAsync(dataDir: Path.Combine(mount.Path, "data"));
        var client = registry.Client;
        var repository = TestContent.Repository("full-disk");
        var image = await client.PushImageAsync(repository, "v1", layers: 2);
        var upload = await client.StartUploadAsync(repository);
        // An emptied write-ahead log: the delete's first write must grow a file, as it would on a disk that filled up.
        CheckpointDatabase(registry.DataDir);
        mount.Fill("filler");

        using (var delete = await client.DeleteAsync($"/api/repositories/{repository}"))
        {
            var message = await AdminApi.ErrorAsync(delete, HttpStatusCode.InsufficientStorage, "INSUFFICIENT_STORAGE");
            Assert.Contains("no space left", message);
        }
        using (var patch = await client.PatchChunkAsync(upload, TestContent.RandomBytes(64 * 1024), 0))
        {
            await OciAssert.ErrorAsync(patch, HttpStatusCode.InsufficientStorage, "INSUFFICIENT_STORAGE");
        }

        File.Delete(Path.Combine(mount.Path, "filler"));
        using var tags = await client.GetAsync($"/v2/{repository}/tags/list");
        await OciAssert.StatusAsync(HttpStatusCode.OK, tags);
        Assert.Contains("\"v1\"", await tags.Content.ReadAsStringAsync());
        Assert.Contains(repository, (await client.GetAllPagesAsync("/v2/_catalog?n=1000", "repositories")).SelectMany(p => p.Items));
        await client.RunGcAsync();
        Assert.Equal(HttpStatusCode.OK, await client.ManifestStatusAsync(repository, "v1"));
        foreach (var blob in image.Layers.Append(image.Config)) await client.AssertBlobAsync(repository, blob);
        using (var fsck = await client.SendAsync(HttpMethod.Post, "/api/fsck"))
        {
            Assert.True((await AdminApi.JsonAsync(fsck, HttpStatusCode.OK))["ok"]!.GetValue<bool>());
        }

        var deletion = await client.DeleteRepositoryAsync(repository);

        Assert.Equal(1, deletion.Number("deletedTags"));
        Assert.Equal(HttpStatusCode.NotFound, await client.ManifestStatusAsync(repository, "v1"));
    }

    private static void CheckpointDatabase(string dataDir)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "nscr.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }
}
