using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Nscr.Gateway.Events;
using Nscr.Gateway.Logging;
using Nscr.Gateway.Stats;

namespace Nscr.Gateway.Observability;

/// <summary>
/// First in the pipeline: classifies the request once, then at its end records the metrics and throughput, writes the
/// one request log line and hands successful manifest/repository changes to the registry events (webhooks, live feed).
/// Nothing here is awaited but the request.
/// </summary>
public sealed class RequestTelemetry(
    RequestDelegate next,
    RegistryMetrics metrics,
    LogOptions logOptions,
    RegistryEventSource events,
    ThroughputRecorder throughput,
    ILogger<RequestTelemetry> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        var request = context.Request;
        var method = request.Method;
        var route = RequestRoute.Classify(request.Path.Value);
        CountingReadStream? body = null;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method)
            && context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
        {
            body = new CountingReadStream(request.Body);
            request.Body = body;
        }
        var upload = body is not null && ReferenceEquals(route.Kind, RouteKinds.Upload);
        if (upload) metrics.UploadStarted();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            if (upload) metrics.UploadEnded();
            var response = context.Response;
            var status = failed && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode;
            var bytesIn = body?.BytesRead ?? 0;
            var bytesOut = HttpMethods.IsHead(method) || status == StatusCodes.Status304NotModified ? 0 : response.ContentLength ?? 0;
            var elapsed = Stopwatch.GetElapsedTime(start);
            metrics.RequestFinished(method, route.Kind, status, elapsed, bytesIn, bytesOut);
            throughput.Record(method, route.Kind, bytesIn, bytesOut);
            if (logOptions.Requests && logger.IsEnabled(LogLevel.Information))
            {
                Log.Request(logger, method, route.Kind, route.Repository ?? "-", status, bytesIn, bytesOut, elapsed.TotalMilliseconds);
            }
            if (status is StatusCodes.Status201Created or StatusCodes.Status202Accepted)
            {
                events.RequestSucceeded(context, route, bytesIn);
            }
        }
    }
}
