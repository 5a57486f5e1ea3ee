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
        await PollAsync(async () => await MinuteBytesInAsync(http, ct) > 1024, ct);

        scope.Step("graceful restart");
        await registry.RestartAsync(ct);
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/throughput", "view-throughput");

        var history = ui.ByTestId("throughput-history");
        await Expect(history.Locator("canvas")).ToHaveCountAsync(1);
        await ui.Page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=throughput-history]').dataset.bytesIn) > 1024");
        await ui.ScreenshotAsync("throughput-history-after-restart");
        await ui.AssertCleanAsync();
    });

    private static async Task<long> MinuteBytesInAsync(HttpClient http, CancellationToken ct)
    {
        using var response = await http.GetAsync("api/throughput?resolution=minute", ct);
        if (!response.IsSuccessStatusCode) return 0;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("bytesIn").GetInt64());
    }

    private static async Task PollAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 30 s");
            await Task.Delay(200, ct);
        }
    }
}
