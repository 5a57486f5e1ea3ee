using Orleans.Concurrency;

namespace Nscr.Grains.Auth;

/// <summary>
/// One per user name: the generation of that user's web sessions. A session cookie carries the generation it was
/// issued under; logging out moves the generation on, which ends every session of the user on every gateway.
/// </summary>
[Alias("nscr.IUserSessionsGrain")]
public interface IUserSessionsGrain : IGrainWithStringKey
{
    [Alias("GetGeneration"), ReadOnly]
    Task<long> GetGenerationAsync();

    /// <summary>Ends every session issued so far; returns the new generation.</summary>
    [Alias("EndSessions")]
    Task<long> EndSessionsAsync();
}
