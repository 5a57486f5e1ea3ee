using System.Globalization;

namespace Nscr.Gateway.Tests.Observability;

/// <summary>Reads /metrics' text exposition: the sum of the samples of one metric whose labels include the given ones.</summary>
public sealed class PrometheusText(string text)
{
    public string Text { get; } = text;

    public static async Task<PrometheusText> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    public bool Has(string metric) => Samples(metric).Any();

    public double Sum(string metric, params string[] labels) =>
        Samples(metric).Where(s => labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

    private IEnumerable<(string Labels, double Value)> Samples(string metric)
    {
        foreach (var line in Text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            var series = line[..space];
            var name = series.Split('{')[0];
            if (name != metric) continue;
            yield return (series, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));
        }
    }
}
