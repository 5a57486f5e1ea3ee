using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Nscr.Gateway.Tests.Observability;

/// <summary>A real HTTP receiver on a loopback port. <c>/ok</c> accepts; <c>/flaky</c> answers 500 to the first two
/// attempts of each event, then 200; <c>/hung</c> holds every request until <see cref="ReleaseHung"/>.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> attempts = new();
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebhookReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public int HungWaiting;

    public string BaseUrl { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{path}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    public void ReleaseHung() => release.TrySetResult();

    public IReadOnlyList<Received> At(string path) => Requests.Where(r => r.Path == path).ToList();

    /// <summary>Waits (with a deadline) until <paramref name="path"/> has received an event matching <paramref name="match"/>.</summary>
    public async Task<Received> WaitForAsync(string path, Func<Received, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (At(path).FirstOrDefault(match) is { } found) return found;
            Assert.True(DateTime.UtcNow < deadline, $"no matching event at /{path}; got: {string.Join("\n", Requests.Select(r => r.Path + " " + r.Body))}");
            await Task.Delay(50);
        }
    }

    private async Task HandleAsync(HttpContext context, string path)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        var received = new Received(path, body, context.Request.ContentType ?? "", context.Request.Headers["X-Nscr-Signature"].ToString());
        Requests.Enqueue(received);
        switch (path)
        {
            case "flaky" when attempts.AddOrUpdate(received.Id, 1, (_, n) => n + 1) <= 2:
                context.Response.StatusCode = 500;
                return;
            case "hung":
                Interlocked.Increment(ref HungWaiting);
                await release.Task;
                break;
        }
        context.Response.StatusCode = 204;
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseHung();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public sealed record Received(string Path, string Body, string ContentType, string Signature)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public string Id => Json.GetProperty("id").GetString()!;

        public string Type => Json.GetProperty("type").GetString()!;

        public JsonElement Data => Json.GetProperty("data");
    }
}
