using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Nscr.Grains.Upgrade;

/// <summary>
/// Reads and deletes the serialized state the previous release kept for a grain, while any may remain: until the
/// start-up upgrade has moved every one of a kind into rows (<see cref="LegacyStateUpgrade"/>). From then on a grain's
/// activation costs no read of Orleans' state table (the release writes none), only of its rows.
/// </summary>
public sealed class LegacyStateReader(IServiceProvider services)
{
    private readonly HashSet<string> upgraded = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>
    /// The grain's old state and the record to clear once it is moved, or null (none left of this kind, or none for
    /// this grain).
    /// </summary>
    public async Task<(T State, IGrainState<T> Record)?> ReadAsync<T>(string stateName, GrainId grain) where T : class, new()
    {
        lock (gate)
        {
            if (upgraded.Contains(stateName)) return null;
        }
        var state = new GrainState<T>(new T());
        await Storage.ReadStateAsync(stateName, grain, state);
        return state.RecordExists && state.State is { } value ? (value, state) : null;
    }

    /// <summary>Deletes the old state record <see cref="ReadAsync{T}"/> returned, once the grain's rows hold it.</summary>
    public Task ClearAsync<T>(string stateName, GrainId grain, IGrainState<T> record) =>
        Storage.ClearStateAsync(stateName, grain, record);

    /// <summary>Every grain of this kind has been moved into rows (called by the start-up upgrade).</summary>
    public void Upgraded(string stateName)
    {
        lock (gate) upgraded.Add(stateName);
    }

    private IGrainStorage Storage => services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Registry);
}
