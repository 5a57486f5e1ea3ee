using System.Text.Json;
using Microsoft.Playwright;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Nscr.EndToEnd.Tests.WebUi;

[Collection(WebUiCollection.Name)]
public sealed class ThroughputTests(BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>Fresh random content in every image: at least this many bytes go up with each push.</summary>
    private const long PushedBytes = 64 * 1024;

    [Fact]
    public Task TheLiveChartMovesDuringAPush() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        var layout = await UiImages.BuildLayoutAsync(scope, "throughput");
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/throughput", "view-throughput");
        await Expect(ui.ByTestId("throughput-state")).ToHaveAttributeAsync("data-state", "live");
        var chart = ui.ByTestId("throughput-live");
        await Expect(chart.Locator("canvas")).ToHaveCountAsync(1);
        var before = long.Parse(await chart.GetAttributeAsync("data-bytes-in") ?? "0");
        var firstSecond = long.Parse(await chart.GetAttributeAsync("data-last-t") ?? "0");

        scope.Step("skopeo copy e2e/throughput:v1");
        await UiImages.PushAsync(registry, layout, "e2e/throughput", "v1", ct);

        await ui.Page.WaitForFunctionAsync(
            "([before, pushed]) => Number(document.querySelector('[data-testid=throughput-live]').dataset.bytesIn) >= before + pushed",
            new object[] { before, PushedBytes });
        var lastSecond = long.Parse(await chart.GetAttributeAsync("data-last-t") ?? "0");
        Assert.True(lastSecond > firstSecond, $"the chart's last second stayed at {firstSecond}");
        await Expect(ui.ByTestId("throughput-summary")).Not.ToContainTextAsync(" 0 B in");
        await ui.ScreenshotAsync("throughput-live");

        scope.Step("the overview's chart starts from the recent seconds");
        await ui.ByTestId("nav-overview").ClickAsync();
        await Expect(ui.ByTestId("repositories-value")).ToHaveTextAsync("1");
        await ui.Page.WaitForFunctionAsync(
            "pushed => Number(document.querySelector('[data-testid=overview-throughput] [data-testid=throughput-live]')?.dataset.bytesIn) >= pushed",
            PushedBytes);
        await ui.ScreenshotAsync("overview-live");
        await ui.AssertCleanAsync();
    });

    [Fact]
    public Task TheHistorySurvivesARestart() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        await UiImages.PushAnnotatedAsync(registry, "e2e/history", "v1", "recorded", ct);
        using var http = new HttpClient { BaseAddress = registry.BaseAddress };
        scope.Step("wait until the minute history holds the push");
        await Poll.UntilAsync(async () => await MinuteBytesInAsync(http, ct) > 1024, ct);

        scope.Step("graceful restart");
        await registry.RestartAsync(ct);
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/throughput", "view-throughput");

        var history = ui.ByTestId("throughput-history");
        var requests = ui.ByTestId("throughput-history-requests");
        await Expect(history.Locator("canvas")).ToHaveCountAsync(1);
        await ui.Page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=throughput-history]').dataset.bytesIn) > 1024");

        scope.Step("the requests by kind: a manifest push and blob pushes (two blobs went up)");
        await Expect(requests.Locator("canvas")).ToHaveCountAsync(1);
        await Expect(requests.Locator(".u-legend")).ToContainTextAsync("manifest push");
        await ui.Page.WaitForFunctionAsync(
            "() => { const d = document.querySelector('[data-testid=throughput-history-requests]').dataset; return Number(d.manifestPush) >= 1 && Number(d.blobPush) >= 2; }");
        await ui.ScreenshotAsync("throughput-history-after-restart");

        foreach (var resolution in new[] { "minute", "hour", "day" })
        {
            scope.Step($"history by {resolution}: the time labels do not overlap on a 1440 px page");
            await ui.ByTestId("history-resolution").SelectOptionAsync(resolution);
            await Expect(history).ToHaveAttributeAsync("data-resolution", resolution);
            await Expect(requests).ToHaveAttributeAsync("data-resolution", resolution);
            await AssertTimeLabelsApartAsync(history, resolution);
            await AssertTimeLabelsApartAsync(requests, resolution);
        }
        await ui.AssertCleanAsync();
    });

    /// <summary>Each x-axis label is centred on its tick: neighbours must leave a gap between their text boxes
    /// (measured in the page with the axis font).</summary>
    private static async Task AssertTimeLabelsApartAsync(ILocator chart, string resolution)
    {
        var gaps = await chart.EvaluateAsync<double[]>("""
            el => {
              const { font, ticks } = JSON.parse(el.dataset.xTicks ?? '{"ticks":[]}');
              const context = document.createElement('canvas').getContext('2d');
              context.font = font;
              const boxes = ticks.filter(t => t.text).map(t => {
                const width = context.measureText(t.text).width;
                return { left: t.x - width / 2, right: t.x + width / 2 };
              });
              return boxes.slice(1).map((box, i) => box.left - boxes[i].right);
            }
            """);
        Assert.True(gaps.Length >= 2, $"by {resolution}: only {gaps.Length + 1} time labels drawn");
        Assert.True(gaps.Min() >= 4, $"by {resolution}: time labels {gaps.Min():0.#} px apart (overlapping below 0)");
    }

    private static async Task<long> MinuteBytesInAsync(HttpClient http, CancellationToken ct)
    {
        using var response = await http.GetAsync("api/throughput?resolution=minute", ct);
        if (!response.IsSuccessStatusCode) return 0;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("bytesIn").GetInt64());
    }
}
