using System.Globalization;
using Nscr.Gateway.Api.Live;
using Nscr.Gateway.Cluster;
using Nscr.Gateway.Hosting;
using Nscr.Gateway.Logging;
using Nscr.Gateway.Oci;
using Nscr.Oci;
using Nscr.Silo;

namespace Nscr.Gateway.Api;

/// <summary>The admin API under <c>/api/</c>: one class per resource; every error in the OCI error shape.</summary>
public static class ApiEndpoints
{
    public static IServiceCollection AddApiEndpoints(this IServiceCollection services) => services
        .AddSingleton(provider => ValidatedOptions.Read<LiveOptions>(provider.GetRequiredService<IConfiguration>(), LiveOptions.Section))
        .AddSingleton<GcEndpoint>()
        .AddSingleton<FsckRunner>()
        .AddSingleton<FsckEndpoint>()
        .AddSingleton<RegistryFigures>()
        .AddSingleton<RepositoryManifestListEndpoint>()
        .AddSingleton<RetentionEndpoint>()
        .AddSingleton<ManifestBodies>()
        .AddSingleton<StatusEndpoint>()
        .AddSingleton<UsageEndpoint>()
        .AddSingleton<RepositoriesEndpoint>()
        .AddSingleton<RepositoryTagsEndpoint>()
        .AddSingleton<RepositoryManifestsEndpoint>()
        .AddSingleton<ThroughputEndpoint>();

    public static void MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiEndpoints).FullName!);
        var gc = services.GetRequiredService<GcEndpoint>();
        var fsck = services.GetRequiredService<FsckEndpoint>();
        var repositories = services.GetRequiredService<RepositoriesEndpoint>();
        var tags = services.GetRequiredService<RepositoryTagsEndpoint>();
        var manifests = services.GetRequiredService<RepositoryManifestsEndpoint>();
        var manifestList = services.GetRequiredService<RepositoryManifestListEndpoint>();
        var retention = services.GetRequiredService<RetentionEndpoint>();
        var status = services.GetRequiredService<StatusEndpoint>();
        var usage = services.GetRequiredService<UsageEndpoint>();
        var throughput = services.GetRequiredService<ThroughputEndpoint>();
        // Resolved here so that bad settings fail start-up rather than the first event stream.
        _ = services.GetRequiredService<LiveOptions>();

        app.MapPost("/api/gc", Guarded(gc.StartAsync, logger));
        app.MapGet("/api/gc", Guarded(gc.StatusAsync, logger));
        app.MapGet("/api/gc/{id}", Guarded(gc.GetAsync, logger));
        app.MapPost("/api/fsck", Guarded(fsck.RunAsync, logger));
        app.MapGet("/api/retention", Guarded(retention.GetAsync, logger));
        app.MapPut("/api/retention", Guarded(retention.PutAsync, logger));
        app.MapDelete("/api/retention", Guarded(retention.DeleteAsync, logger));
        app.MapGet("/api/status", Guarded(status.GetAsync, logger));
        app.MapGet("/api/usage", Guarded(usage.GetAsync, logger));
        app.MapGet("/api/repositories", Guarded(repositories.ListAsync, logger));
        app.MapGet("/api/throughput", Guarded(throughput.HistoryAsync, logger));
        app.MapGet("/api/throughput/stream", Guarded(throughput.StreamAsync, logger));
        app.MapMethods("/api/repositories/{**path}", [HttpMethods.Get, HttpMethods.Delete], Guarded(context =>
        {
            var route = RepositoryRoute.Parse(context.Request.RouteValues["path"] as string ?? "");
            var get = HttpMethods.IsGet(context.Request.Method);
            return route.Resource switch
            {
                RepositoryResource.Repository => get ? repositories.GetAsync(context, route) : repositories.DeleteAsync(context, route),
                RepositoryResource.Tags when get => tags.ListAsync(context, route),
                RepositoryResource.Tag when !get => tags.DeleteAsync(context, route),
                RepositoryResource.Manifests when get => manifestList.ListAsync(context, route),
                RepositoryResource.Manifest => get ? manifests.GetAsync(context, route) : manifests.DeleteAsync(context, route),
                _ => throw new OciException(OciErrorCode.Unsupported, $"{context.Request.Method} is not supported on {context.Request.Path}"),
            };
        }, logger));
        // Anything else under /api/ (another method, an unknown path) gets an error document, not an empty 404/405.
        app.Map("/api/{**rest}", Guarded(context => throw new OciException(
            OciErrorCode.Unsupported, $"{context.Request.Method} is not supported on {context.Request.Path}"), logger));
    }

    /// <summary>Turns every failure of <paramref name="handler"/> into an error document.</summary>
    internal static RequestDelegate Guarded(Func<HttpContext, Task> handler, ILogger logger) => async context =>
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
        catch (Exception e) when (StorageFull.IsCause(e))
        {
            Log.StorageFull(logger, context.Request.Method, context.Request.Path, e.GetBaseException().Message);
            await TryWriteErrorAsync(context, () => OciResponses.WriteErrorAsync(context, OciErrorCode.InsufficientStorage, ""));
        }
        catch (Exception e) when (ClusterFaults.IsTransient(e))
        {
            Log.ClusterUnavailable(logger, context.Request.Method, context.Request.Path, e.GetType().Name);
            await TryWriteErrorAsync(context, () =>
            {
                context.Response.Headers.RetryAfter = ClusterFaults.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return OciResponses.WriteErrorAsync(context, OciErrorCode.Unavailable, "the registry cluster is unavailable, retry shortly");
            });
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
