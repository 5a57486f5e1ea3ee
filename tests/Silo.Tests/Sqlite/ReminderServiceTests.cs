namespace Nscr.Silo.Tests.Sqlite;

public sealed class ReminderServiceTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly TempDataDir dataDir = new();

    public void Dispose() => dataDir.Dispose();

    [Fact]
    public async Task A_reminder_fires_and_keeps_firing_after_a_host_restart()
    {
        int ticksBeforeRestart;
        await using (var silo = await TestSilo.StartAsync(dataDir.Path))
        {
            var grain = silo.Grains.GetGrain<INoteGrain>("reminded");
            await grain.StartReminderAsync("tick", TimeSpan.FromSeconds(1));
            ticksBeforeRestart = await Poll.UntilAsync(grain.GetReminderTicksAsync, ticks => ticks >= 1, Deadline);
            Assert.True(ticksBeforeRestart >= 1, "the reminder never fired");
        }

        await using (var silo = await TestSilo.StartAsync(dataDir.Path))
        {
            var grain = silo.Grains.GetGrain<INoteGrain>("reminded");
            Assert.Equal(["tick"], await grain.GetReminderNamesAsync());
            var ticks = await Poll.UntilAsync(grain.GetReminderTicksAsync, t => t > ticksBeforeRestart, Deadline);
            Assert.True(ticks > ticksBeforeRestart, "the reminder did not fire after the restart");
        }
    }
}
