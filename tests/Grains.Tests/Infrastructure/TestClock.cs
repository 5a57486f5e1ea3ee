namespace Nscr.Grains.Tests.Infrastructure;

/// <summary>
/// A clock the test moves by hand, so "touched before the cutoff" is exact rather than a matter of microseconds. With
/// <see cref="Tick"/> set, every reading also moves it on, so readings order events the way they happened.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long ticks = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    public TimeSpan Tick { get; set; }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Add(ref ticks, Tick.Ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
