using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Nscr.EndToEnd.Tests.WebUi;

[Collection(WebUiCollection.Name)]
public sealed partial class EventsTests(BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>A push while the recent list is loading reaches the page twice (in the list and on the live stream):
    /// the view shows it once. The list's answer is held back until the push is in it.</summary>
    [Fact]
    public Task AnEventArrivingWhileTheListLoadsShowsOnce() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var registry = await scope.StartRegistryAsync();
        using var http = new HttpClient { BaseAddress = registry.BaseAddress };
        await using var ui = await browser.OpenAsync(registry, scope);
        await ui.GoToAsync("#/overview", "view-overview");
        await Expect(ui.ByTestId("live-status")).ToHaveAttributeAsync("data-state", "live");

        var listRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await ui.Page.RouteAsync(EventListPath(), async route =>
        {
            listRequested.TrySetResult();
            await release.Task;
            await route.ContinueAsync();
        });
        await ui.ByTestId("nav-events").ClickAsync();
        await listRequested.Task.WaitAsync(TimeSpan.FromSeconds(20), ct);

        scope.Step("push while GET /api/events is held");
        await UiImages.PushAnnotatedAsync(registry, "e2e/race", "during", "pushed while the list loads", ct);
        await Poll.UntilAsync(async () => await EventCountAsync(http, "during", ct) == 1, ct);
        release.SetResult();

        scope.Step("a later push arrives on the stream after the first one's copy");
        await UiImages.PushAnnotatedAsync(registry, "e2e/race", "after", "pushed after", ct);
        var pushes = ui.Page.Locator("[data-testid=event-row][data-type=push]");
        await Expect(pushes.Filter(new() { HasText = "after" })).ToHaveCountAsync(1);
        await Expect(pushes.Filter(new() { HasText = "during" })).ToHaveCountAsync(1);
        var ids = await pushes.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        Assert.Equal(ids.Length, ids.Distinct().Count());
        await ui.AssertCleanAsync();
    });

    [GeneratedRegex("/api/events$")]
    private static partial Regex EventListPath();

    private static async Task<int> EventCountAsync(HttpClient http, string reference, CancellationToken ct)
    {
        using var response = await http.GetAsync("api/events", ct);
        if (!response.IsSuccessStatusCode) return 0;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("events").EnumerateArray()
            .Count(e => e.TryGetProperty("reference", out var r) && r.GetString() == reference);
    }
}
