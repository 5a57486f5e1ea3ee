using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Nscr.Gateway.Api.Live;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api.Live;

/// <summary>The event-stream writer over real HTTP, on a bare host that streams one feed of strings.</summary>
public sealed class ServerSentEventsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly LiveFeed<string> feed = new(100);
    private WebApplication app = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Services.AddSingleton(new LiveOptions { HeartbeatSeconds = 1 });
        builder.Services.AddSingleton(TimeProvider.System);
        app = builder.Build();
        app.MapGet("/stream", context => ServerSentEvents.StreamAsync(
            context, feed, value => value.StartsWith("alert", StringComparison.Ordinal) ? "alert" : "note",
            (json, value) => json.WriteStringValue(value), value => !value.StartsWith("hidden", StringComparison.Ordinal)));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        http = new HttpClient { BaseAddress = new Uri(address), Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Streams_new_items_as_json_with_ids_and_event_names()
    {
        feed.Append("before");
        await using var sse = await SseClient.OpenAsync(http, "/stream");
        Assert.Equal("text/event-stream", sse.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no", sse.Response.Headers.GetValues("X-Accel-Buffering").Single());
        var id = feed.Append("first <b>\nline");
        feed.Append("alert: disk");
        var first = await sse.ReadEventAsync(Wait);
        Assert.Equal(id.ToString(), first.Id);
        Assert.Equal("note", first.Event);
        Assert.DoesNotContain('\n', first.Data);
        Assert.Equal("first <b>\nline", JsonSerializer.Deserialize<string>(first.Data));
        var second = await sse.ReadEventAsync(Wait);
        Assert.Equal("alert", second.Event);
        Assert.Equal((id + 1).ToString(), second.Id);
    }

    [Fact]
    public async Task Resumes_after_Last_Event_ID_with_exactly_the_missed_items()
    {
        var seen = feed.Append("one");
        feed.Append("two");
        feed.Append("hidden three");
        feed.Append("four");
        await using var sse = await SseClient.OpenAsync(http, "/stream", lastEventId: seen.ToString());
        Assert.Equal("\"two\"", (await sse.ReadEventAsync(Wait)).Data);
        Assert.Equal("\"four\"", (await sse.ReadEventAsync(Wait)).Data);
        feed.Append("five");
        Assert.Equal("\"five\"", (await sse.ReadEventAsync(Wait)).Data);
    }

    [Fact]
    public async Task Backlog_replays_the_last_items_on_a_first_connection()
    {
        feed.Append("old");
        feed.Append("recent");
        await using var sse = await SseClient.OpenAsync(http, "/stream?backlog=1");
        Assert.Equal("\"recent\"", (await sse.ReadEventAsync(Wait)).Data);
    }

    [Fact]
    public async Task An_idle_stream_gets_heartbeats()
    {
        await using var sse = await SseClient.OpenAsync(http, "/stream");
        var heartbeat = await ReadUntilAsync(sse, m => m.IsComment);
        Assert.Equal("heartbeat", heartbeat.Data);
        feed.Append("after the heartbeat");
        Assert.Equal("\"after the heartbeat\"", (await sse.ReadEventAsync(Wait)).Data);
    }

    [Fact]
    public async Task Fifty_clients_all_receive_every_item()
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SseClient.OpenAsync(http, "/stream")));
        try
        {
            var ids = Enumerable.Range(0, 3).Select(i => feed.Append($"broadcast {i}")).ToArray();
            var received = await Task.WhenAll(clients.Select(async c =>
            {
                var got = new List<string?>();
                for (var i = 0; i < ids.Length; i++) got.Add((await c.ReadEventAsync(Wait)).Id);
                return got;
            }));
            Assert.All(received, got => Assert.Equal(ids.Select(i => i.ToString()), got));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_stream_ends_when_the_host_stops()
    {
        await using var sse = await SseClient.OpenAsync(http, "/stream");
        var stopping = app.StopAsync();
        var ended = await ReadUntilEndAsync(sse);
        Assert.True(ended);
        await stopping.WaitAsync(Wait);
    }

    private static async Task<SseMessage> ReadUntilAsync(SseClient sse, Func<SseMessage, bool> wanted)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            var message = await sse.ReadAsync(Wait) ?? throw new EndOfStreamException();
            if (wanted(message)) return message;
        }
        throw new TimeoutException("the wanted message did not come");
    }

    private static async Task<bool> ReadUntilEndAsync(SseClient sse)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await sse.ReadAsync(Wait) is null) return true;
            }
            catch (IOException)
            {
                return true;
            }
            catch (HttpRequestException)
            {
                return true;
            }
        }
        return false;
    }
}
