using Microsoft.Data.Sqlite;
using Nscr.Grains.Tests.Infrastructure;
using Nscr.Oci;
using Nscr.Silo.Sqlite;

namespace Nscr.Grains.Tests.Gc;

public sealed class BlobCollectTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private DateTimeOffset CutoffAfterNow()
    {
        cluster.Clock.Advance(TimeSpan.FromSeconds(2));
        return cluster.Clock.GetUtcNow() - TimeSpan.FromSeconds(1);
    }

    [Fact]
    public async Task An_untouched_blob_is_deleted_with_its_rows_and_can_be_uploaded_again()
    {
        var repository = GrainCluster.NewRepository("collect");
        var bytes = new byte[100];
        Random.Shared.NextBytes(bytes);
        var digest = await cluster.UploadAsync(repository, bytes);
        var rowsBefore = BlobRows();
        var cutoff = CutoffAfterNow();

        var result = await cluster.Blob(digest).CollectAsync(cutoff, dryRun: false);

        Assert.Equal(new BlobCollectResult(BlobCollectOutcome.Deleted, 100), result);
        Assert.False(cluster.FileExists(digest));
        Assert.Null(await cluster.Blob(digest).GetAsync());
        Assert.Equal(rowsBefore - 1, BlobRows());
        Assert.Equal(0, LinkRows(digest));
        // The rows were deleted in this activation; a new upload of the same bytes writes them again.
        await cluster.UploadAsync(repository, bytes);
        Assert.True(cluster.FileExists(digest));
        Assert.True(await cluster.Blob(digest).IsLinkedAsync(repository));
    }

    [Fact]
    public async Task A_blob_read_after_the_cutoff_is_refused_and_keeps_its_file()
    {
        var repository = GrainCluster.NewRepository("collect");
        var digest = await cluster.UploadAsync(repository);
        var cutoff = CutoffAfterNow();
        Assert.True(await cluster.Blob(digest).TouchIfLinkedAsync(repository));
        Assert.False(await cluster.Blob(digest).TouchIfLinkedAsync("not/linked-here"));

        var result = await cluster.Blob(digest).CollectAsync(cutoff, dryRun: false);

        Assert.Equal(BlobCollectOutcome.Refused, result.Outcome);
        Assert.True(cluster.FileExists(digest));
        Assert.NotNull(await cluster.Blob(digest).AddReferenceAsync(repository));
    }

    [Fact]
    public async Task A_dry_run_reports_the_deletion_and_changes_nothing()
    {
        var repository = GrainCluster.NewRepository("collect");
        var digest = await cluster.UploadAsync(repository, size: 77);
        var cutoff = CutoffAfterNow();

        var result = await cluster.Blob(digest).CollectAsync(cutoff, dryRun: true);

        Assert.Equal(new BlobCollectResult(BlobCollectOutcome.Deleted, 77), result);
        Assert.True(cluster.FileExists(digest));
        Assert.NotNull(await cluster.Blob(digest).AddReferenceAsync(repository));
    }

    [Fact]
    public async Task An_orphan_file_is_deleted_once_older_than_the_cutoff()
    {
        var bytes = new byte[50];
        Random.Shared.NextBytes(bytes);
        var digest = Digest.Compute(bytes);
        var path = cluster.Store.TryGetLocalPath(digest)!;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes);
        var blob = cluster.Blob(digest);

        // The file's time is the real clock's: a cutoff before it refuses, one after it deletes.
        var young = await blob.CollectAsync(DateTimeOffset.UtcNow - TimeSpan.FromHours(1), dryRun: false);
        Assert.Equal(BlobCollectOutcome.Refused, young.Outcome);
        Assert.True(File.Exists(path));

        var old = await blob.CollectAsync(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1), dryRun: false);
        Assert.Equal(new BlobCollectResult(BlobCollectOutcome.OrphanDeleted, 50), old);
        Assert.False(File.Exists(path));
        Assert.Equal(BlobCollectOutcome.Absent, (await blob.CollectAsync(DateTimeOffset.MaxValue, dryRun: false)).Outcome);
    }

    [Fact]
    public async Task Links_to_gone_repositories_are_pruned_unless_the_blob_was_touched()
    {
        var kept = GrainCluster.NewRepository("prune");
        var gone = GrainCluster.NewRepository("prune");
        var digest = await cluster.UploadAsync(kept);
        await cluster.Blob(digest).LinkAsync(gone);
        var touchedCutoff = cluster.Clock.GetUtcNow();

        Assert.Equal(0, await cluster.Blob(digest).PruneLinksAsync([gone], touchedCutoff, dryRun: false));
        Assert.True(await cluster.Blob(digest).IsLinkedAsync(gone));

        var cutoff = CutoffAfterNow();
        Assert.Equal(1, await cluster.Blob(digest).PruneLinksAsync([gone], cutoff, dryRun: true));
        Assert.True(await cluster.Blob(digest).IsLinkedAsync(gone));
        Assert.Equal(1, await cluster.Blob(digest).PruneLinksAsync([gone], cutoff, dryRun: false));
        Assert.False(await cluster.Blob(digest).IsLinkedAsync(gone));
        Assert.True(await cluster.Blob(digest).IsLinkedAsync(kept));
    }

    private long BlobRows() => Count("SELECT COUNT(*) FROM nscr_blobs;");

    private long LinkRows(Digest digest) => Count($"SELECT COUNT(*) FROM nscr_blob_links WHERE digest = '{digest}';");

    private long Count(string sql)
    {
        using var connection = new SqliteConnection(SqliteDatabase.ConnectionString(cluster.DataDir));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
