using Microsoft.Data.Sqlite;
using Nscr.Silo.Sqlite;
using Orleans.Runtime;

namespace Nscr.Silo.Tests.Sqlite;

public sealed class ReminderTableTests : IDisposable
{
    private readonly TempDataDir dataDir = new();
    private readonly string connectionString;
    private readonly SqliteReminderTable table;

    public ReminderTableTests()
    {
        connectionString = SqliteDatabase.ConnectionString(dataDir.Path);
        SqliteDatabase.Migrate(connectionString);
        table = new SqliteReminderTable(connectionString);
    }

    public void Dispose() => dataDir.Dispose();

    [Fact]
    public async Task Upsert_returns_the_etag_and_the_row_reads_back_durably()
    {
        var entry = Entry(GrainId.Create("gc", "singleton"), "cycle", TimeSpan.FromHours(1));

        var eTag = await table.UpsertRow(entry);
        SqliteConnection.ClearAllPools();
        var read = await new SqliteReminderTable(connectionString).ReadRow(entry.GrainId, "cycle");

        Assert.NotNull(read);
        Assert.False(string.IsNullOrEmpty(eTag));
        Assert.Equal(eTag, read.ETag);
        Assert.Equal(entry.GrainId, read.GrainId);
        Assert.Equal(entry.StartAt, read.StartAt);
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
        Assert.Equal(TimeSpan.FromHours(1), read.Period);
        Assert.Null(await table.ReadRow(entry.GrainId, "other"));
    }

    [Fact]
    public async Task Upsert_replaces_the_row_with_a_new_etag()
    {
        var grainId = GrainId.Create("gc", "singleton");
        var first = await table.UpsertRow(Entry(grainId, "cycle", TimeSpan.FromMinutes(1)));

        var second = await table.UpsertRow(Entry(grainId, "cycle", TimeSpan.FromMinutes(5)));

        Assert.NotEqual(first, second);
        var rows = (await table.ReadRows(grainId)).Reminders;
        var row = Assert.Single(rows);
        Assert.Equal(TimeSpan.FromMinutes(5), row.Period);
        Assert.Equal(second, row.ETag);
    }

    [Fact]
    public async Task Remove_needs_the_current_etag()
    {
        var grainId = GrainId.Create("gc", "singleton");
        var stale = await UpsertAsync(Entry(grainId, "cycle", TimeSpan.FromMinutes(1)));
        var current = await UpsertAsync(Entry(grainId, "cycle", TimeSpan.FromMinutes(1)));

        Assert.False(await table.RemoveRow(grainId, "cycle", stale));
        Assert.NotNull(await table.ReadRow(grainId, "cycle"));
        Assert.True(await table.RemoveRow(grainId, "cycle", current));
        Assert.Null(await table.ReadRow(grainId, "cycle"));
        Assert.False(await table.RemoveRow(grainId, "cycle", current));
    }

    [Fact]
    public async Task ReadRows_by_grain_returns_only_that_grains_reminders()
    {
        var a = GrainId.Create("repo", "a");
        var b = GrainId.Create("repo", "b");
        await table.UpsertRow(Entry(a, "one", TimeSpan.FromMinutes(1)));
        await table.UpsertRow(Entry(a, "two", TimeSpan.FromMinutes(1)));
        await table.UpsertRow(Entry(b, "one", TimeSpan.FromMinutes(1)));

        var rows = (await table.ReadRows(a)).Reminders;

        Assert.Equal(["one", "two"], rows.Select(r => r.ReminderName).Order());
        Assert.All(rows, r => Assert.Equal(a, r.GrainId));
    }

    [Fact]
    public async Task ReadRows_by_range_is_exclusive_inclusive_and_wraps_around()
    {
        var grains = Enumerable.Range(0, 60).Select(i => GrainId.Create("blob", $"sha256:{i}")).ToList();
        foreach (var grain in grains)
        {
            await table.UpsertRow(Entry(grain, "touch", TimeSpan.FromMinutes(1)));
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToList();
        Assert.Contains(hashes, h => h > int.MaxValue); // the unsigned upper half is exercised
        uint low = hashes[10], high = hashes[40];

        // Bounds equal to stored hashes: begin excluded, end included.
        await AssertRangeAsync(low, high);
        await AssertRangeAsync(high, low);                 // wraps: (high, max] and [0, low]
        await AssertRangeAsync(low, low);                  // the whole ring
        await AssertRangeAsync(0, uint.MaxValue);
        await AssertRangeAsync(uint.MaxValue, hashes[0]);  // wraps to just the first
        Assert.Equal(grains.Count, (await table.ReadRows(hashes[^1], hashes[^1])).Reminders.Count);

        async Task AssertRangeAsync(uint begin, uint end)
        {
            var expected = grains.Where(g => InRange(g.GetUniformHashCode(), begin, end)).Select(g => g.ToString()).Order();
            var actual = (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId.ToString()).Order();
            Assert.Equal(expected, actual);
        }

        static bool InRange(uint hash, uint begin, uint end) =>
            begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
    }

    [Fact]
    public async Task TestOnlyClearTable_removes_everything()
    {
        await table.UpsertRow(Entry(GrainId.Create("repo", "a"), "one", TimeSpan.FromMinutes(1)));

        await table.TestOnlyClearTable();

        Assert.Empty((await table.ReadRows(0, 0)).Reminders);
    }

    private async Task<string> UpsertAsync(ReminderEntry entry)
    {
        var eTag = await table.UpsertRow(entry);
        Assert.NotNull(eTag);
        return eTag;
    }

    private static ReminderEntry Entry(GrainId grainId, string name, TimeSpan period) => new()
    {
        GrainId = grainId,
        ReminderName = name,
        StartAt = new DateTime(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc),
        Period = period,
    };
}
