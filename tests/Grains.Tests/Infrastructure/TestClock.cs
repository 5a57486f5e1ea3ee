namespace Nscr.Grains.Tests.Infrastructure;

/// <summary>A clock the test moves by hand, so "touched before the cutoff" is exact rather than a matter of microseconds.</summary>
public sealed class TestClock : TimeProvider
{
    private long ticks = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
