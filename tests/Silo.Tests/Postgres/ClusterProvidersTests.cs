using Microsoft.Extensions.Options;
using Npgsql;
using Nscr.Grains;
using Nscr.Silo.Postgres;
using Orleans.Configuration;
using Nscr.Silo.Tests.Sqlite;

namespace Nscr.Silo.Tests.Postgres;

/// <summary>Orleans' ADO.NET membership, grain storage and reminders on our PostgreSQL schema, through real silos.</summary>
public sealed class ClusterProvidersTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_silos_join_one_cluster_and_a_pure_client_reaches_their_grains()
    {
        var clusterId = "membership";
        await using var first = await ClusterTestSilo.StartSiloAsync(ClusterTestSilo.Options(database.ConnectionString, clusterId));
        await using var second = await ClusterTestSilo.StartSiloAsync(ClusterTestSilo.Options(database.ConnectionString, clusterId));

        var active = await Poll.UntilAsync(() => ActiveSilosAsync(clusterId), n => n == 2, Deadline);
        Assert.Equal(2, active);

        await using var client = await ClusterTestSilo.StartClientAsync(ClusterTestSilo.Options(database.ConnectionString, clusterId));
        await client.Grains.GetGrain<INoteGrain>("from-client").SetAsync("hello");
        Assert.Equal("hello", await first.Grains.GetGrain<INoteGrain>("from-client").GetAsync());
    }

    [Fact]
    public async Task Grain_state_survives_the_whole_cluster_restarting_and_clear_deletes_the_row()
    {
        var clusterId = "state";
        await using (var silo = await ClusterTestSilo.StartSiloAsync(ClusterTestSilo.Options(database.ConnectionString, clusterId)))
        {
            await silo.Grains.GetGrain<INoteGrain>("kept").SetAsync("one");
            await silo.Grains.GetGrain<INoteGrain>("kept").SetAsync("two");
            await silo.Grains.GetGrain<INoteGrain>("cleared").SetAsync("gone soon");
            await silo.Grains.GetGrain<INoteGrain>("cleared").ClearAsync();
        }

        await using (var silo = await ClusterTestSilo.StartSiloAsync(ClusterTestSilo.Options(database.ConnectionString, clusterId)))
        {
            Assert.Equal("two", await silo.Grains.GetGrain<INoteGrain>("kept").GetAsync());
            Assert.Equal("", await silo.Grains.GetGrain<INoteGrain>("cleared").GetAsync());
        }
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM nscr_grain_state WHERE service_id = 'state';"));
    }

    [Fact]
    public async Task A_reminder_fires_and_keeps_firing_after_the_cluster_restarts()
    {
        var clusterId = "reminders";
        int ticksBefore;
        await using (var silo = await ClusterTestSilo.StartSiloAsync(ClusterTestSilo.Options(database.ConnectionString, clusterId)))
        {
            var grain = silo.Grains.GetGrain<INoteGrain>("reminded");
            await grain.StartReminderAsync("tick", TimeSpan.FromSeconds(1));
            ticksBefore = await Poll.UntilAsync(grain.GetReminderTicksAsync, t => t >= 1, Deadline);
            Assert.True(ticksBefore >= 1, "the reminder never fired");
        }

        await using (var silo = await ClusterTestSilo.StartSiloAsync(ClusterTestSilo.Options(database.ConnectionString, clusterId)))
        {
            var grain = silo.Grains.GetGrain<INoteGrain>("reminded");
            Assert.Equal(["tick"], await grain.GetReminderNamesAsync());
            var ticks = await Poll.UntilAsync(grain.GetReminderTicksAsync, t => t > ticksBefore, Deadline);
            Assert.True(ticks > ticksBefore, "the reminder did not fire after the restart");
        }
    }

    private async Task<int> ActiveSilosAsync(string clusterId) =>
        (int)await ScalarAsync($"SELECT count(*) FROM nscr_membership WHERE deployment_id = '{clusterId}' AND status = 3;");

    [Fact]
    public async Task The_grains_left_in_the_old_format_are_those_with_a_state_row_of_the_name_and_its_own_service_only()
    {
        await ScalarAsync("""
            INSERT INTO nscr_grain_state VALUES
                ('stored', 'repository', 0, 0, 'team/b', 1, '\x00'), ('stored', 'repository', 0, 0, 'team/a', 1, '\x00'),
                ('stored', 'gc', 0, 0, 'team/c', 1, '\x00'), ('other', 'repository', 0, 0, 'other/x', 1, '\x00'),
                ('stored', 'blob', 0, 0, 'sha256:00', 1, '\x00')
            RETURNING 0::bigint;
            """);
        var legacy = new PostgresLegacyStates(database.ConnectionString, Options.Create(new ClusterOptions { ServiceId = "stored" }));

        Assert.Equal(["team/a", "team/b"], await legacy.ListAsync(StorageNames.RepositoryState, CancellationToken.None));
        Assert.Equal(["sha256:00"], await legacy.ListAsync(StorageNames.BlobState, CancellationToken.None));
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
