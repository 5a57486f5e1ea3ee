namespace Nscr.Grains.Upgrade;

/// <summary>
/// The grains that still have a serialized state of the previous release in grain storage (repositories, blobs), read
/// from the storage itself: they are moved into rows when they activate, and these are the ones not moved yet.
/// </summary>
public interface ILegacyStates
{
    /// <summary>The keys of the grains with a persisted state named <paramref name="stateName"/>, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string stateName, CancellationToken cancellationToken);
}
