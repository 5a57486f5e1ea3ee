namespace Nscr.Grains.Auth;

public sealed class UserSessionsGrain(
    [PersistentState("sessions", StorageNames.Registry)] IPersistentState<UserSessionsState> state) : Grain, IUserSessionsGrain
{
    public Task<long> GetGenerationAsync() => Task.FromResult(state.State.Generation);

    public async Task<long> EndSessionsAsync()
    {
        state.State.Generation++;
        await state.WriteStateAsync();
        return state.State.Generation;
    }
}

[GenerateSerializer]
[Alias("nscr.UserSessionsState")]
public sealed class UserSessionsState
{
    [Id(0)] public long Generation { get; set; }
}
