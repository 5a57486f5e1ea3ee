using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Nscr.Silo.Sqlite;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using Xunit.Abstractions;

namespace Nscr.Silo.Tests.Sqlite;

public sealed class GrainStorageTests(ITestOutputHelper output) : IDisposable
{
    private const string StateName = "note";
    private readonly TempDataDir dataDir = new();

    public void Dispose() => dataDir.Dispose();

    [Fact]
    public async Task State_written_by_a_grain_is_read_back_after_a_host_restart()
    {
        await using (var silo = await TestSilo.StartAsync(dataDir.Path))
        {
            await silo.Grains.GetGrain<INoteGrain>("library/alpine").SetAsync("hello");

            // Stored with Orleans' binary serializer, not the provider's default JSON.
            var payload = (byte[]?)MigrationTests.Scalar(SqliteDatabase.ConnectionString(dataDir.Path),
                "SELECT Payload FROM GrainState WHERE GrainIdExtension = 'library/alpine';");
            Assert.NotNull(payload);
            var binary = new OrleansGrainStorageSerializer(silo.Services.GetRequiredService<Serializer>());
            Assert.Equal("hello", binary.Deserialize<NoteState>(new BinaryData(payload))?.Text);
        }

        await using (var silo = await TestSilo.StartAsync(dataDir.Path))
        {
            Assert.Equal("hello", await silo.Grains.GetGrain<INoteGrain>("library/alpine").GetAsync());
            Assert.Equal("", await silo.Grains.GetGrain<INoteGrain>("library/other").GetAsync());
        }
    }

    [Fact]
    public async Task A_stale_etag_makes_writes_and_clears_throw()
    {
        await using var silo = await TestSilo.StartAsync(dataDir.Path);
        var storage = Storage(silo);
        var grainId = GrainId.Create("note", "conflict");

        var first = await ReadAsync(storage, grainId);
        var duplicate = await ReadAsync(storage, grainId);
        first.State = new NoteState { Text = "first" };
        await storage.WriteStateAsync(StateName, grainId, first);

        // A second activation that never saw the record must not overwrite it.
        duplicate.State = new NoteState { Text = "second" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, duplicate));

        var stale = await ReadAsync(storage, grainId);
        first.State = new NoteState { Text = "first again" };
        await storage.WriteStateAsync(StateName, grainId, first);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grainId, stale));

        var current = await ReadAsync(storage, grainId);
        Assert.Equal("first again", current.State?.Text);
        Assert.Equal(first.ETag, current.ETag);
    }

    [Fact]
    public async Task Clear_deletes_the_row_and_the_grain_can_write_again()
    {
        var connectionString = SqliteDatabase.ConnectionString(dataDir.Path);
        await using (var silo = await TestSilo.StartAsync(dataDir.Path))
        {
            var grain = silo.Grains.GetGrain<INoteGrain>("to-clear");
            await grain.SetAsync("doomed");
            await grain.ClearAsync();

            Assert.Equal("", await grain.GetAsync());
            Assert.Equal(0L, MigrationTests.Scalar(connectionString, "SELECT COUNT(*) FROM GrainState;"));

            await grain.SetAsync("reborn");
        }

        await using (var silo = await TestSilo.StartAsync(dataDir.Path))
        {
            Assert.Equal("reborn", await silo.Grains.GetGrain<INoteGrain>("to-clear").GetAsync());
        }
    }

    [Fact]
    public async Task Clear_without_delete_keeps_an_empty_row_and_a_usable_etag()
    {
        const string KeepRows = "keep-rows";
        var connectionString = SqliteDatabase.ConnectionString(dataDir.Path);
        await using var silo = await TestSilo.StartAsync(dataDir.Path, builder => builder.AddAdoNetGrainStorage(KeepRows, o =>
        {
            o.Invariant = SqliteDatabase.AdoNetInvariant;
            o.ConnectionString = connectionString;
            o.DeleteStateOnClear = false;
        }));
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(KeepRows);
        var grainId = GrainId.Create("note", "kept");
        var state = await ReadAsync(storage, grainId);
        state.State = new NoteState { Text = "doomed" };
        await storage.WriteStateAsync(StateName, grainId, state);
        var stale = await ReadAsync(storage, grainId);

        await storage.ClearStateAsync(StateName, grainId, state);

        Assert.Equal("2", state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(1L, MigrationTests.Scalar(connectionString, "SELECT COUNT(*) FROM GrainState WHERE Payload IS NULL;"));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, stale));
        state.State = new NoteState { Text = "reborn" };
        await storage.WriteStateAsync(StateName, grainId, state);
        Assert.Equal("reborn", (await ReadAsync(storage, grainId)).State?.Text);
    }

    [Fact]
    public async Task A_write_is_in_the_files_on_disk_before_any_close_or_checkpoint()
    {
        // What a kill -9 leaves: the database and WAL files as they are while the silo still runs.
        await using var silo = await TestSilo.StartAsync(dataDir.Path);
        var grainId = GrainId.Create("note", "durable");
        var state = await ReadAsync(Storage(silo), grainId);
        state.State = new NoteState { Text = "acknowledged" };
        await Storage(silo).WriteStateAsync(StateName, grainId, state);

        using var copy = new TempDataDir();
        foreach (var file in Directory.GetFiles(dataDir.Path, SqliteDatabase.FileName + "*"))
        {
            File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        }

        Assert.True(File.Exists(Path.Combine(copy.Path, SqliteDatabase.FileName + "-wal")));
        Assert.Equal(1L, MigrationTests.Scalar(SqliteDatabase.ConnectionString(copy.Path),
            "SELECT COUNT(*) FROM GrainState WHERE GrainIdExtension = 'durable' AND Payload IS NOT NULL;"));
    }

    [Fact]
    public async Task Measures_one_grain_state_write_through_the_provider()
    {
        await using var silo = await TestSilo.StartAsync(dataDir.Path);
        var storage = Storage(silo);
        var grainId = GrainId.Create("note", "timed");
        var state = await ReadAsync(storage, grainId);
        var timings = new List<double>();

        for (var i = 0; i < 300; i++)
        {
            state.State = new NoteState { Text = $"write {i}" };
            var started = Stopwatch.GetTimestamp();
            await storage.WriteStateAsync(StateName, grainId, state);
            timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        timings.Sort();
        output.WriteLine($"grain state write through the provider: p50 {timings[150]:F3} ms, p90 {timings[270]:F3} ms, max {timings[^1]:F3} ms");
        Assert.Equal("300", state.ETag);
        Assert.True(timings[150] < 50, $"p50 {timings[150]} ms");
    }

    [Fact]
    public async Task Concurrent_writers_to_different_grains_all_succeed()
    {
        await using var silo = await TestSilo.StartAsync(dataDir.Path);
        var storage = Storage(silo);
        const int Writers = 8, WritesEach = 50;
        var timings = new System.Collections.Concurrent.ConcurrentBag<double>();
        var total = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var grainId = GrainId.Create("note", $"concurrent-{w}");
            var state = await ReadAsync(storage, grainId);
            for (var i = 0; i < WritesEach; i++)
            {
                state.State = new NoteState { Text = $"write {i}" };
                var started = Stopwatch.GetTimestamp();
                await storage.WriteStateAsync(StateName, grainId, state);
                timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            Assert.Equal($"{WritesEach}", state.ETag);
        })));

        var sorted = timings.Order().ToList();
        output.WriteLine($"{Writers} concurrent writers: {sorted.Count / total.Elapsed.TotalSeconds:F0} writes/s, " +
            $"p50 {sorted[sorted.Count / 2]:F3} ms, p99 {sorted[sorted.Count * 99 / 100]:F3} ms, max {sorted[^1]:F3} ms");
        Assert.Equal(Writers * WritesEach, sorted.Count);
    }

    private static IGrainStorage Storage(TestSilo silo) =>
        silo.Services.GetRequiredKeyedService<IGrainStorage>(SqliteDatabase.StorageName);

    private static async Task<GrainState<NoteState>> ReadAsync(IGrainStorage storage, GrainId grainId)
    {
        var state = new GrainState<NoteState>(new NoteState());
        await storage.ReadStateAsync(StateName, grainId, state);
        return state;
    }
}
