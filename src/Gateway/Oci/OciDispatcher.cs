using System.Globalization;
using Microsoft.AspNetCore.Connections;
using Nscr.Gateway.Cluster;
using Nscr.Gateway.Logging;
using Nscr.Oci;
using Nscr.Silo;

namespace Nscr.Gateway.Oci;

/// <summary>The single entry point of /v2/: parses the route, validates the name, picks the resource's handler,
/// and turns every failure into an OCI error response.</summary>
public sealed class OciDispatcher(
    BlobsEndpoint blobs,
    UploadsEndpoint uploads,
    ManifestsEndpoint manifests,
    TagsEndpoint tags,
    ReferrersEndpoint referrers,
    CatalogEndpoint catalog,
    ILogger<OciDispatcher> logger)
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    public async Task DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        context.Response.Headers[OciResponses.ApiVersionHeader] = "registry/2.0";
        var path = request.Path.Value ?? "";
        var route = OciRoute.Parse(path.Length > 4 ? path[4..] : "");
        try
        {
            if (route.Resource is not (OciResource.Base or OciResource.Catalog or OciResource.Unknown))
            {
                RepositoryName.Validate(route.Name);
            }
            var handler = (route.Resource, request.Method) switch
            {
                (OciResource.Base, "GET" or "HEAD") => WriteBaseAsync(context),
                (OciResource.Catalog, "GET") => catalog.ListAsync(context),
                (OciResource.Tags, "GET") => tags.ListAsync(context, route),
                (OciResource.Manifest, "GET" or "HEAD") => manifests.GetAsync(context, route),
                (OciResource.Manifest, "PUT") => manifests.PutAsync(context, route),
                (OciResource.Manifest, "DELETE") => manifests.DeleteAsync(context, route),
                (OciResource.Blob, "GET" or "HEAD") => blobs.GetAsync(context, route),
                (OciResource.Blob, "DELETE") => blobs.DeleteAsync(context, route),
                (OciResource.UploadStart, "POST") => uploads.StartAsync(context, route),
                (OciResource.Upload, "GET") => uploads.StatusAsync(context, route),
                (OciResource.Upload, "PATCH") => uploads.PatchAsync(context, route),
                (OciResource.Upload, "PUT") => uploads.PutAsync(context, route),
                (OciResource.Upload, "DELETE") => uploads.CancelAsync(context, route),
                (OciResource.Referrers, "GET") => referrers.ListAsync(context, route),
                _ => throw new OciException(OciErrorCode.Unsupported, $"{request.Method} is not supported on {Describe(route)}"),
            };
            await handler;
        }
        catch (OciException e)
        {
            Log.RequestFailed(logger, request.Method, path, OciErrors.Get(e.Code).Code, e.Message);
            await TryWriteErrorAsync(context, e.Code, e.Message, e.Detail);
        }
        catch (Exception e) when (e is ConnectionResetException || context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (reset mid-body, or cancelled): nothing to answer, nothing wrong on our side.
            Log.ClientGone(logger, request.Method, path, e.GetType().Name);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel refused the body (too large, malformed chunking, too slow): the resource's own "invalid" code.
            var code = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? OciErrorCode.SizeInvalid
                : route.Resource is OciResource.Upload or OciResource.UploadStart ? OciErrorCode.BlobUploadInvalid
                : route.Resource == OciResource.Manifest ? OciErrorCode.ManifestInvalid
                : OciErrorCode.Unsupported;
            await TryWriteErrorAsync(context, code, e.Message);
        }
        catch (Exception e) when (StorageFull.IsCause(e))
        {
            Log.StorageFull(logger, request.Method, path, e.GetBaseException().Message);
            await TryWriteErrorAsync(context, OciErrorCode.InsufficientStorage, "");
        }
        catch (Exception e) when (ClusterFaults.IsTransient(e))
        {
            Log.ClusterUnavailable(logger, request.Method, path, e.GetType().Name);
            if (!context.Response.HasStarted) context.Response.Headers.RetryAfter = ClusterFaults.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await TryWriteErrorAsync(context, OciErrorCode.Unavailable, "the registry cluster is unavailable, retry shortly");
        }
        catch (Exception e)
        {
            Log.UnhandledError(logger, e, request.Method, path);
            await TryWriteErrorAsync(context, OciErrorCode.Unknown, "internal error");
        }
    }

    private static async Task TryWriteErrorAsync(HttpContext context, OciErrorCode code, string message, string? detail = null)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested) return;
        // A 416 keeps its "bytes */<length>" (RFC 9110 §15.5.17); any other error drops a half-built 206's range.
        if (code != OciErrorCode.RangeInvalid) context.Response.Headers.Remove("Content-Range");
        context.Response.Headers.Remove(OciResponses.ContentDigestHeader);
        try
        {
            await OciResponses.WriteErrorAsync(context, code, message, detail);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private static Task WriteBaseAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = EmptyObject.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : context.Response.Body.WriteAsync(EmptyObject, context.RequestAborted).AsTask();
    }

    private static string Describe(OciRoute route) => route.Resource == OciResource.Unknown ? "this path" : route.Resource.ToString().ToLowerInvariant();
}
