using Microsoft.Net.Http.Headers;
using Nscr.Gateway.Logging;

namespace Nscr.Gateway.WebUi;

/// <summary>
/// Serves the web UI: <c>/</c> is index.html (revalidated on every load), <c>/ui/&lt;build&gt;/…</c> its assets (immutable
/// for a year: the build segment changes with any asset). Every answer carries a strict Content-Security-Policy (no inline
/// script or style, data only from this origin) and nosniff. The files are public (AuthMiddleware lets everything outside
/// /v2, /api, /dashboard and /metrics pass) so the login form can load; the data behind them is not.
/// </summary>
public static class WebUiEndpoints
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private const string Immutable = "public, max-age=31536000, immutable";
    private const string Revalidate = "no-cache";

    public static IServiceCollection AddNscrWebUi(this IServiceCollection services) => services.AddSingleton<WebUiAssets>();

    public static void MapNscrWebUi(this WebApplication app)
    {
        var assets = app.Services.GetRequiredService<WebUiAssets>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebUiEndpoints).FullName!);
        Log.WebUiReady(logger, assets.Count, assets.Build);
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/", methods, context => WriteAsync(context, assets.Index, Revalidate));
        app.MapMethods("/ui/{build}/{**path}", methods, context =>
        {
            var path = context.Request.RouteValues["path"] as string ?? "";
            if (assets.Find(path) is not { } asset || asset.Path == WebUiAssets.IndexPath)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                SecurityHeaders(context.Response);
                return Task.CompletedTask;
            }
            // A page of an older build asks for its own files: answer with today's, but let nothing keep them.
            var current = string.Equals(context.Request.RouteValues["build"] as string, assets.Build, StringComparison.Ordinal);
            return WriteAsync(context, asset, current ? Immutable : Revalidate);
        });
    }

    private static Task WriteAsync(HttpContext context, WebUiAsset asset, string cacheControl)
    {
        var request = context.Request;
        var response = context.Response;
        var gzip = asset.Gzip is not null && AcceptsGzip(request);
        var etag = gzip ? asset.GzipETag : asset.ETag;
        SecurityHeaders(response);
        response.Headers.CacheControl = cacheControl;
        response.Headers.ETag = etag;
        if (asset.Gzip is not null) response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Any(tag => tag.Trim() is var t && (t == etag || t == "*"))))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        var body = gzip ? asset.Gzip! : asset.Content;
        response.ContentType = asset.ContentType;
        response.ContentLength = body.Length;
        if (gzip) response.Headers.ContentEncoding = "gzip";
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static void SecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.Any(value => value is not null && value.Split(',').Any(coding =>
        {
            var parts = coding.Split(';');
            return parts[0].Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase)
                && !parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "q=0" or "q=0.0" or "q=0.00" or "q=0.000");
        }));
}
