using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api.Live;

/// <summary>
/// The real registry for the live-feed tests: logs at Information (the request log reaches the feed), heartbeats every
/// second, GC without grace.
/// </summary>
public sealed class LiveRegistry : IAsyncLifetime
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Nscr:Live:HeartbeatSeconds"] = "1",
        ["Nscr:Gc:Grace"] = "00:00:00",
    };

    private readonly RegistryFixture registry = new(builder =>
    {
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Configuration.AddInMemoryCollection(Settings);
    });

    public RegistryClient Client => registry.Client;

    public IServiceProvider Services => registry.Services;

    /// <summary>A client that waits as long as a stream stays open (the registry client's requests time out).</summary>
    public HttpClient Streams { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await registry.InitializeAsync();
        Streams = new HttpClient { BaseAddress = registry.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task DisposeAsync()
    {
        Streams.Dispose();
        await registry.DisposeAsync();
    }

    /// <summary>Reads events until one's data matches; the ones skipped are returned too, in order, ending with the match.</summary>
    public static async Task<List<(SseMessage Message, JsonElement Data)>> ReadUntilAsync(SseClient sse, Func<JsonElement, bool> match, int skipAtMost = 10_000)
    {
        var read = new List<(SseMessage, JsonElement)>();
        var deadline = DateTime.UtcNow + Wait;
        while (read.Count <= skipAtMost)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) break;
            var message = await sse.ReadEventAsync(left);
            var data = JsonDocument.Parse(message.Data).RootElement;
            read.Add((message, data));
            if (match(data)) return read;
        }
        throw new TimeoutException($"no matching event within {Wait}; read {read.Count}: {string.Join(" | ", read.Select(r => r.Item1.Data))}");
    }

    /// <summary>A string property, or null when the event has none (events of other types have other fields).</summary>
    public static string? Field(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static async Task<JsonElement> GetJsonAsync(RegistryClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
