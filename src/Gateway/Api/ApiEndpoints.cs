using Nscr.Gateway.Logging;
using Nscr.Gateway.Oci;
using Nscr.Oci;

namespace Nscr.Gateway.Api;

/// <summary>The admin API under <c>/api/</c>: one class per resource; every error in the OCI error shape.</summary>
public static class ApiEndpoints
{
    public static IServiceCollection AddApiEndpoints(this IServiceCollection services) => services
        .AddSingleton<GcEndpoint>()
        .AddSingleton<FsckRunner>()
        .AddSingleton<FsckEndpoint>()
        .AddSingleton<RepositoriesEndpoint>();

    public static void MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiEndpoints).FullName!);
        var gc = services.GetRequiredService<GcEndpoint>();
        var fsck = services.GetRequiredService<FsckEndpoint>();
        var repositories = services.GetRequiredService<RepositoriesEndpoint>();

        app.MapPost("/api/gc", Guarded(gc.StartAsync, logger));
        app.MapGet("/api/gc", Guarded(gc.StatusAsync, logger));
        app.MapGet("/api/gc/{id}", Guarded(gc.GetAsync, logger));
        app.MapPost("/api/fsck", Guarded(fsck.RunAsync, logger));
        app.MapDelete("/api/repositories/{**name}", Guarded(repositories.DeleteAsync, logger));
        // Anything else under /api/ (another method, an unknown path) gets an error document, not an empty 404/405.
        app.Map("/api/{**rest}", Guarded(context => throw new OciException(
            OciErrorCode.Unsupported, $"{context.Request.Method} is not supported on {context.Request.Path}"), logger));
    }

    /// <summary>Turns every failure of <paramref name="handler"/> into an error document.</summary>
    private static RequestDelegate Guarded(Func<HttpContext, Task> handler, ILogger logger) => async context =>
    {
        try
        {
            await handler(context);
        }
        catch (OciException e)
        {
            await TryWriteErrorAsync(context, () => OciResponses.WriteErrorAsync(context, e.Code, e.Message, e.Detail));
        }
        catch (ApiException e)
        {
            await TryWriteErrorAsync(context, () => ApiResponses.WriteErrorAsync(context, e.Status, e.Code, e.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e)
        {
            Log.UnhandledError(logger, e, context.Request.Method, context.Request.Path);
            await TryWriteErrorAsync(context, () => OciResponses.WriteErrorAsync(context, OciErrorCode.Unknown, "internal error"));
        }
    };

    private static async Task TryWriteErrorAsync(HttpContext context, Func<Task> write)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested) return;
        try
        {
            await write();
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }
}
