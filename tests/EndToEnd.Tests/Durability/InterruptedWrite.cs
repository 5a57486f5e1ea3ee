using System.Net;
using Xunit;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>
/// One kind of write the crash sweep interrupts at each of its crash points in turn. Every attempt (numbered from 1,
/// one per crash point) writes content of its own, so an attempt never finds an earlier one's rows.
/// </summary>
/// <param name="Repository">The repository the attempt writes to (pushed to again after the crash).</param>
/// <param name="PrepareAsync">Acknowledged writes the attempt needs (the tag it deletes...), done before arming.</param>
/// <param name="SendAsync">The request under test.</param>
/// <param name="Success">Its answer when the registry lives.</param>
/// <param name="RetryWhenDone">The answer to the same request once the write is in (a second delete finds nothing).</param>
/// <param name="DoneInRows">Whether the killed registry's rows hold the write; fails on half of it (<see cref="Whole.Of"/>).</param>
/// <param name="DoneThroughApiAsync">Whether the registry serves the write; fails on half of it.</param>
internal sealed record InterruptedWrite(
    string Name,
    Func<int, string> Repository,
    Func<int, CancellationToken, Task> PrepareAsync,
    Func<int, CancellationToken, Task<HttpResponseMessage>> SendAsync,
    HttpStatusCode Success,
    HttpStatusCode RetryWhenDone,
    Func<DeadRegistryRows, int, bool> DoneInRows,
    Func<int, CancellationToken, Task<bool>> DoneThroughApiAsync);

/// <summary>A write is all there or not at all.</summary>
internal static class Whole
{
    /// <summary>True when every fact holds, false when none does; fails naming them when only some do.</summary>
    public static bool Of(string write, params (string Fact, bool Holds)[] facts)
    {
        if (facts.All(f => f.Holds)) return true;
        if (facts.All(f => !f.Holds)) return false;
        Assert.Fail($"half of {write}: " + string.Join(", ", facts.Select(f => $"{f.Fact}: {(f.Holds ? "yes" : "no")}")));
        return false;
    }
}
