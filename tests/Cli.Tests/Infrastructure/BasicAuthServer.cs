using System.Text;
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
/// A real HTTP server on a loopback port that answers <c>/api/status</c> only to Basic credentials admin:s3cret, with
/// the OCI error shape otherwise — the contract of the registry with authentication on (issue 5), until that lands here.
/// It records the user names it saw.
/// </summary>
public sealed class BasicAuthServer : IAsyncLifetime
{
    public const string User = "admin";
    public const string Password = "s3cret";

    private WebApplication? app;

    public Uri Url { get; private set; } = null!;

    public List<string> Users { get; } = [];

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        app.MapGet("/api/status", async context =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            var credentials = header.StartsWith("Basic ", StringComparison.Ordinal)
                ? Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]))
                : "";
            lock (Users) Users.Add(credentials.Split(':')[0]);
            context.Response.ContentType = "application/json";
            if (credentials != $"{User}:{Password}")
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"nscr\"";
                await context.Response.WriteAsync("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":null}]}");
                return;
            }
            await context.Response.WriteAsync("{\"version\":\"test\",\"mode\":\"embedded\",\"uptimeSeconds\":1,\"repositories\":0,\"storage\":{\"blobs\":0,\"bytes\":0,\"databaseBytes\":null},\"gc\":{\"running\":null,\"last\":null}}");
        });
        await app.StartAsync();
        Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async Task DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}
