using Nscr.Silo.Sqlite;
using Orleans.Runtime;

namespace Nscr.Silo.Tests.Sqlite;

[GenerateSerializer]
[Alias("nscr.tests.NoteState")]
public sealed class NoteState
{
    [Id(0)] public string Text { get; set; } = "";

    [Id(1)] public int ReminderTicks { get; set; }
}

[Alias("nscr.tests.INoteGrain")]
public interface INoteGrain : IGrainWithStringKey
{
    [Alias("Set")]
    Task SetAsync(string text);

    [Alias("Get")]
    Task<string> GetAsync();

    [Alias("Clear")]
    Task ClearAsync();

    [Alias("StartReminder")]
    Task StartReminderAsync(string name, TimeSpan period);

    [Alias("GetReminderNames")]
    Task<string[]> GetReminderNamesAsync();

    [Alias("GetReminderTicks")]
    Task<int> GetReminderTicksAsync();
}

public sealed class NoteGrain(
    [PersistentState("note", SqliteDatabase.StorageName)] IPersistentState<NoteState> note) : Grain, INoteGrain, IRemindable
{
    public async Task SetAsync(string text)
    {
        note.State.Text = text;
        await note.WriteStateAsync();
    }

    public Task<string> GetAsync() => Task.FromResult(note.State.Text);

    public Task ClearAsync() => note.ClearStateAsync();

    public async Task StartReminderAsync(string name, TimeSpan period) =>
        await this.RegisterOrUpdateReminder(name, TimeSpan.Zero, period);

    public async Task<string[]> GetReminderNamesAsync() =>
        (await this.GetReminders()).Select(r => r.ReminderName).ToArray();

    public Task<int> GetReminderTicksAsync() => Task.FromResult(note.State.ReminderTicks);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        note.State.ReminderTicks++;
        await note.WriteStateAsync();
    }
}
