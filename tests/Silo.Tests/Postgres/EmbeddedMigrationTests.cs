using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nscr.Oci;
using Nscr.Silo.Migration;
using Nscr.Silo.Tests.Sqlite;
using Nscr.Storage.FileSystem;

namespace Nscr.Silo.Tests.Postgres;

/// <summary>Embedded data dir → PostgreSQL + a target blob directory, then a cluster silo reads what the embedded one wrote.</summary>
public sealed class EmbeddedMigrationTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDataDir source = new();
    private readonly TempDataDir target = new();

    public void Dispose()
    {
        source.Dispose();
        target.Dispose();
    }

    [Fact]
    public async Task Grain_state_reminders_and_blobs_move_to_the_cluster_verified_and_a_second_run_changes_nothing()
    {
        var blob = TestBlob();
        await using (var embedded = await TestSilo.StartAsync(source.Path))
        {
            await embedded.Grains.GetGrain<INoteGrain>("moved").SetAsync("from the embedded registry");
            await embedded.Grains.GetGrain<INoteGrain>("reminded").StartReminderAsync("tick", TimeSpan.FromSeconds(1));
        }
        var (digest, bytes) = await WriteSourceBlobAsync(blob);
        var states = SourceRows("GrainState");
        Assert.InRange(states, 1L, 2L); // the note, and the reminded grain's once its reminder fired

        var first = await EmbeddedMigration.RunAsync(source.Path, database.ConnectionString, "migrated", Store(target.Path));
        Assert.Equal(states, (long)first.GrainStates);
        Assert.Equal(1, first.Reminders);
        Assert.Equal(1, first.BlobsCopied);
        Assert.Equal(bytes.Length, first.BytesCopied);

        var second = await EmbeddedMigration.RunAsync(source.Path, database.ConnectionString, "migrated", Store(target.Path));
        Assert.Equal(0, second.BlobsCopied);
        Assert.Equal(1, second.BlobsAlreadyPresent);
        Assert.Equal(states, (long)second.GrainStates);

        await using var stream = await Store(target.Path).OpenReadAsync(digest, 0, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());

        var options = ClusterTestSilo.Options(database.ConnectionString, "migrated");
        await using var silo = await ClusterTestSilo.StartSiloAsync(options);
        Assert.Equal("from the embedded registry", await silo.Grains.GetGrain<INoteGrain>("moved").GetAsync());
        var reminded = silo.Grains.GetGrain<INoteGrain>("reminded");
        Assert.Equal(["tick"], await reminded.GetReminderNamesAsync());
        var ticksAtStart = await reminded.GetReminderTicksAsync();
        var ticks = await Poll.UntilAsync(reminded.GetReminderTicksAsync, t => t > ticksAtStart, Deadline);
        Assert.True(ticks > ticksAtStart, "the migrated reminder did not fire in the cluster");
    }

    [Fact]
    public async Task A_running_embedded_registry_is_refused()
    {
        await using var embedded = await TestSilo.StartAsync(source.Path);
        await embedded.Grains.GetGrain<INoteGrain>("busy").SetAsync("in use");

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => EmbeddedMigration.RunAsync(source.Path, database.ConnectionString, "refused", Store(target.Path)));
        Assert.Contains("running", error.Message);
    }

    [Fact]
    public async Task A_corrupt_source_blob_stops_the_migration_before_any_metadata_is_written()
    {
        await using (var embedded = await TestSilo.StartAsync(source.Path))
        {
            await embedded.Grains.GetGrain<INoteGrain>("never").SetAsync("copied");
        }
        var (digest, _) = await WriteSourceBlobAsync(TestBlob());
        var file = Directory.GetFiles(Path.Combine(source.Path, "blobs"), digest.Hex, SearchOption.AllDirectories).Single();
        await File.WriteAllBytesAsync(file, TestBlob());

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => EmbeddedMigration.RunAsync(source.Path, database.ConnectionString, "corrupt", Store(target.Path)));
        Assert.Contains("corrupt", error.Message);
        Assert.Null(await Store(target.Path).StatAsync(digest, CancellationToken.None));
    }

    private long SourceRows(string table)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(source.Path, "nscr.db")};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table};";
        return (long)command.ExecuteScalar()!;
    }

    private static byte[] TestBlob() => Guid.NewGuid().ToByteArray().Concat(new byte[70_000]).ToArray();

    private async Task<(Digest Digest, byte[] Bytes)> WriteSourceBlobAsync(byte[] bytes)
    {
        var store = Store(source.Path);
        var digest = Digest.Compute(bytes);
        await store.WriteStagedAsync("seed", bytes, CancellationToken.None);
        await store.CommitStagedAsync("seed", digest, CancellationToken.None);
        return (digest, bytes);
    }

    private static FileSystemBlobStore Store(string root) =>
        new(Options.Create(new FileSystemBlobStoreOptions { RootDirectory = root }), NullLogger<FileSystemBlobStore>.Instance);
}
