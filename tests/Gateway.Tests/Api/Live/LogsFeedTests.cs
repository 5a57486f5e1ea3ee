using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api.Live;

/// <summary>/api/logs and /api/logs/stream over real HTTP, fed by the registry's own logging.</summary>
public sealed class LogsFeedTests(LiveRegistry registry) : IClassFixture<LiveRegistry>
{
    private ILogger Logger(string category) => registry.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);

    [Fact]
    public async Task Entries_at_or_above_the_level_that_contain_the_search_are_listed_oldest_first()
    {
        var mark = TestContent.Tag("mark");
        var logger = Logger("Nscr.Tests.Live");
        logger.LogDebug("{Mark} debug", mark);
        logger.LogInformation(new EventId(4321), "{Mark} information", mark);
        logger.LogWarning("{Mark} warning", mark);
        logger.LogError(new InvalidOperationException("broken " + mark), "{Mark} error", mark);
        // Found through its category, not its message.
        Logger("Nscr.Tests." + mark.ToUpperInvariant()).LogWarning("no mark in this message");

        var all = await registry.Client.GetAsync($"/api/logs?q={mark}");
        var json = JsonDocument.Parse(await all.Content.ReadAsStringAsync()).RootElement;
        var entries = json.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(
            ["Information", "Warning", "Error", "Warning"],
            entries.Select(e => e.GetProperty("level").GetString()));
        Assert.Equal($"{mark} information", entries[0].GetProperty("message").GetString());
        Assert.Equal("Nscr.Tests.Live", entries[0].GetProperty("category").GetString());
        Assert.Equal(4321, entries[0].GetProperty("eventId").GetInt32());
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("exception").ValueKind);
        Assert.Contains("InvalidOperationException: broken " + mark, entries[2].GetProperty("exception").GetString());
        Assert.True(DateTimeOffset.UtcNow - entries[0].GetProperty("time").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        var ids = entries.Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.True(json.GetProperty("lastId").GetInt64() >= ids[^1]);

        var warnings = await LiveRegistry.GetJsonAsync(registry.Client, $"/api/logs?level=warning&q={mark.ToUpperInvariant()}");
        Assert.Equal(["Warning", "Error", "Warning"], warnings.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("level").GetString()));
        var errors = await LiveRegistry.GetJsonAsync(registry.Client, $"/api/logs?level=Error&q={mark}");
        Assert.Equal($"{mark} error", Assert.Single(errors.GetProperty("entries").EnumerateArray()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task After_and_limit_page_forward_and_without_after_the_newest_are_listed()
    {
        var mark = TestContent.Tag("page");
        var logger = Logger("Nscr.Tests.Live");
        for (var i = 1; i <= 5; i++) logger.LogWarning("{Mark} #{Number}", mark, i);

        static List<string> Messages(JsonElement json) => json.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        var newest = await LiveRegistry.GetJsonAsync(registry.Client, $"/api/logs?q={mark}&limit=2");
        Assert.Equal([$"{mark} #4", $"{mark} #5"], Messages(newest));
        var first = await LiveRegistry.GetJsonAsync(registry.Client, $"/api/logs?q={mark}");
        var firstId = first.GetProperty("entries")[0].GetProperty("id").GetInt64();
        var page = await LiveRegistry.GetJsonAsync(registry.Client, $"/api/logs?q={mark}&after={firstId}&limit=2");
        Assert.Equal([$"{mark} #2", $"{mark} #3"], Messages(page));
    }

    [Theory]
    [InlineData("level=Loud")]
    [InlineData("level=None")]
    [InlineData("level=3")]
    [InlineData("after=-1")]
    [InlineData("limit=0")]
    [InlineData("limit=many")]
    public async Task A_bad_parameter_is_a_400_error_document(string query)
    {
        using var response = await registry.Client.GetAsync($"/api/logs?{query}");
        await AssertInvalidAsync(response);
        // The stream takes the filters (after and limit are the JSON list's).
        if (!query.StartsWith("level", StringComparison.Ordinal)) return;
        using var stream = await registry.Client.GetAsync($"/api/logs/stream?{query}");
        await AssertInvalidAsync(stream);
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single(JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("PARAMETER_INVALID", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task The_stream_sends_only_entries_at_or_above_the_level_that_match_the_search()
    {
        var mark = TestContent.Tag("stream");
        await using var sse = await SseClient.OpenAsync(registry.Streams, $"/api/logs/stream?level=Warning&q={mark}");
        Assert.Equal("text/event-stream", sse.Response.Content.Headers.ContentType?.MediaType);
        var logger = Logger("Nscr.Tests.Live");
        logger.LogInformation("{Mark} quiet", mark);
        logger.LogWarning("other loud");
        logger.LogWarning("{Mark} loud", mark);

        var message = await sse.ReadEventAsync(LiveRegistry.Wait);
        Assert.Equal("log", message.Event);
        var entry = JsonDocument.Parse(message.Data).RootElement;
        Assert.Equal($"{mark} loud", entry.GetProperty("message").GetString());
        Assert.Equal("Warning", entry.GetProperty("level").GetString());
        Assert.Equal(message.Id, entry.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_push_shows_up_in_the_stream_as_its_request_log_lines()
    {
        var repository = TestContent.Repository("logs");
        await using var sse = await SseClient.OpenAsync(registry.Streams, $"/api/logs/stream?q={repository}");
        await registry.Client.PushImageAsync(repository, "v1");

        var read = await LiveRegistry.ReadUntilAsync(sse, e => e.GetProperty("message").GetString()!.StartsWith("PUT manifest", StringComparison.Ordinal));
        var line = read[^1].Data;
        Assert.Equal($"PUT manifest {repository} 201", string.Join(' ', line.GetProperty("message").GetString()!.Split(' ')[..4]));
        Assert.Equal("Nscr.Gateway.Observability.RequestTelemetry", line.GetProperty("category").GetString());
        Assert.Equal(5000, line.GetProperty("eventId").GetInt32());
        Assert.All(read, r => Assert.Contains(repository, r.Data.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Resuming_with_Last_Event_ID_delivers_exactly_the_missed_entries()
    {
        var mark = TestContent.Tag("resume");
        var logger = Logger("Nscr.Tests.Live");
        string lastSeen;
        await using (var sse = await SseClient.OpenAsync(registry.Streams, $"/api/logs/stream?q={mark}"))
        {
            logger.LogWarning("{Mark} 1", mark);
            logger.LogWarning("{Mark} 2", mark);
            Assert.Equal($"{mark} 1", Message(await sse.ReadEventAsync(LiveRegistry.Wait)));
            var second = await sse.ReadEventAsync(LiveRegistry.Wait);
            Assert.Equal($"{mark} 2", Message(second));
            lastSeen = second.Id!;
        }
        for (var i = 3; i <= 5; i++) logger.LogWarning("{Mark} {Number}", mark, i);

        await using var resumed = await SseClient.OpenAsync(registry.Streams, $"/api/logs/stream?q={mark}", lastEventId: lastSeen);
        var missed = new List<string>();
        for (var i = 0; i < 3; i++) missed.Add(Message(await resumed.ReadEventAsync(LiveRegistry.Wait)));
        Assert.Equal([$"{mark} 3", $"{mark} 4", $"{mark} 5"], missed);
        // Then nothing more but heartbeats (one a second here).
        var next = await resumed.ReadAsync(LiveRegistry.Wait);
        Assert.True(next is { IsComment: true, Data: "heartbeat" }, $"expected a heartbeat, got {next}");
    }

    private static string Message(SseMessage message) => JsonDocument.Parse(message.Data).RootElement.GetProperty("message").GetString()!;
}
