using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Nscr.Cli.Tests.Infrastructure;

/// <summary>
/// A stand-in for the registry's live feeds on a loopback port, for what the real one does not do on demand: its log
/// stream sends one event per connection (a heartbeat comment first, the entry as two data lines, then half of another
/// event) and drops the connection, recording each <c>Last-Event-ID</c> it was asked to resume after; its events stream
/// refuses with 403.
/// </summary>
public sealed class FlakyFeedServer : IAsyncLifetime
{
    private WebApplication? app;

    public Uri Url { get; private set; } = null!;

    /// <summary>The <c>Last-Event-ID</c> of each connection to the log stream, in order.</summary>
    public ConcurrentQueue<string> ResumedAfter { get; } = new();

    public Dictionary<string, string> Environment(string configHome) => new()
    {
        ["NSCR_URL"] = Url.ToString(),
        ["XDG_CONFIG_HOME"] = configHome,
    };

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        app.MapGet("/api/logs", () => Results.Text("{\"entries\":[],\"lastId\":5}", "application/json"));
        app.MapGet("/api/logs/stream", async context =>
        {
            var after = long.Parse(context.Request.Headers["Last-Event-ID"].ToString());
            ResumedAfter.Enqueue(after.ToString());
            var id = after + 1;
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(
                $"retry: 10\n\n: heartbeat\n\nid: {id}\r\nevent: log\r\ndata: {{\"id\":{id},\"level\":\"Warning\",\n"
                + $"data: \"message\":\"entry {id}\"}}\n\nid: {id + 100}\ndata: {{\"half\"");
        });
        app.MapGet("/api/events", () => Results.Text("{\"events\":[],\"lastId\":0}", "application/json"));
        app.MapGet("/api/events/stream", () => Results.Text(
            "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}", "application/json", statusCode: 403));
        await app.StartAsync();
        Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async Task DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}
