using System.Text.Json;
using Nscr.Gateway.Logging;
using Nscr.Gateway.Oci;

namespace Nscr.Gateway.Observability;

/// <summary>
/// <c>/healthz</c>: the process answers (no dependency is touched). <c>/readyz</c>: every <see cref="IReadinessCheck"/>
/// passes within <see cref="CheckTimeout"/>; otherwise 503 naming each failed check. Both are always anonymous.
/// </summary>
public static class HealthEndpoints
{
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    private static readonly byte[] Alive = """{"status":"ok"}"""u8.ToArray();

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var checks = app.ServiceProvider.GetServices<IReadinessCheck>().ToArray();
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HealthEndpoints).FullName!);
        app.MapMethods("/healthz", ["GET", "HEAD"], WriteAliveAsync);
        app.MapMethods("/readyz", ["GET", "HEAD"], context => WriteReadyAsync(context, checks, logger));
    }

    private static Task WriteAliveAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = Alive.Length;
        context.Response.Headers.CacheControl = "no-store";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(Alive, context.RequestAborted).AsTask();
    }

    private static async Task WriteReadyAsync(HttpContext context, IReadOnlyList<IReadinessCheck> checks, ILogger logger)
    {
        var results = await Task.WhenAll(checks.Select(c => RunAsync(c, context.RequestAborted)));
        var failed = results.Where(r => r.Failure is not null).ToList();
        foreach (var (name, failure) in failed) Log.NotReady(logger, name, failure!);
        context.Response.StatusCode = failed.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store";
        await OciResponses.WriteJsonAsync(context, "application/json", json =>
        {
            json.WriteStartObject();
            json.WriteString("status", failed.Count == 0 ? "ready" : "unavailable");
            json.WriteStartObject("checks");
            foreach (var (name, failure) in results) json.WriteString(name, failure is null ? "ok" : $"failed: {failure}");
            json.WriteEndObject();
            if (failed.Count > 0) WriteErrors(json, failed);
            json.WriteEndObject();
        });
    }

    /// <summary>The OCI error shape every error of nscr has, one entry per failed check.</summary>
    private static void WriteErrors(Utf8JsonWriter json, List<(string Name, string? Failure)> failed)
    {
        json.WriteStartArray("errors");
        foreach (var (name, failure) in failed)
        {
            json.WriteStartObject();
            json.WriteString("code", "UNAVAILABLE");
            json.WriteString("message", $"readiness check '{name}' failed");
            json.WriteString("detail", failure);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static async Task<(string Name, string? Failure)> RunAsync(IReadinessCheck check, CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await check.CheckAsync(timeout.Token).WaitAsync(timeout.Token);
            return (check.Name, null);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return (check.Name, $"no answer within {CheckTimeout.TotalSeconds:0} s");
        }
        catch (Exception e)
        {
            return (check.Name, e.Message);
        }
    }
}
