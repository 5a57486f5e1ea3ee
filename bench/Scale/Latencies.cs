namespace Nscr.Scale;

/// <summary>Order statistics of a set of latencies in milliseconds (nearest rank).</summary>
public sealed class Latencies
{
    private readonly double[] sorted;

    public Latencies(IEnumerable<double> milliseconds)
    {
        sorted = milliseconds.Order().ToArray();
    }

    public int Count => sorted.Length;

    public double Percentile(double p) =>
        sorted.Length == 0 ? 0 : Round(sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)]);

    public double Max => sorted.Length == 0 ? 0 : Round(sorted[^1]);

    public static double Round(double value) => Math.Round(value, 3);
}
