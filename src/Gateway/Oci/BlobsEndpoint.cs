using Nscr.Gateway.Oci.Http;
using Nscr.Grains;
using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Gateway.Oci;

/// <summary><c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: HEAD, GET (with Range), DELETE.</summary>
public sealed class BlobsEndpoint(IGrainFactory grains, IBlobStore store)
{
    public async Task GetAsync(HttpContext context, OciRoute route)
    {
        var digest = Digest.Parse(route.Argument);
        var cancellation = context.RequestAborted;
        var head = HttpMethods.IsHead(context.Request.Method);
        // The read counts as a touch: a client that checks a blob before pushing a manifest is covered by the GC grace.
        using var content = await grains.GetGrain<IBlobGrain>(digest.ToString()).TouchIfLinkedAsync(route.Name)
            ? await BlobContent.OpenAsync(store, digest, forReading: !head, cancellation)
            : null;
        if (content is null) throw new OciException(OciErrorCode.BlobUnknown, $"blob {digest} is not in repository {route.Name}", digest.ToString());

        var response = context.Response;
        var etag = $"\"{digest}\"";
        response.Headers[OciResponses.ContentDigestHeader] = digest.ToString();
        response.Headers.ETag = etag;
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = MediaTypes.OctetStream;
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var size = content.Size;
        var (offset, count) = (0L, size);
        var ifRange = context.Request.Headers.IfRange;
        var rangeHeader = ifRange.Count == 0 || ifRange == etag ? context.Request.Headers.Range.ToString() : null;
        var range = ByteRange.ParseRequestRange(rangeHeader, size);
        if (range.IsUnsatisfiable)
        {
            response.Headers.ContentRange = $"bytes */{size}";
            throw new OciException(OciErrorCode.RangeInvalid, $"range '{rangeHeader}' is not satisfiable for {size} bytes");
        }
        if (range.Range is { } r)
        {
            (offset, count) = (r.Start, r.Length);
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {r.Start}-{r.End}/{size}";
        }
        response.ContentLength = count;
        if (head || count == 0) return;
        await content.CopyToAsync(response.Body, offset, count, cancellation);
    }

    public async Task DeleteAsync(HttpContext context, OciRoute route)
    {
        var digest = Digest.Parse(route.Argument);
        if (!await grains.GetGrain<IRepositoryGrain>(route.Name).UnlinkBlobAsync(digest))
        {
            throw new OciException(OciErrorCode.BlobUnknown, $"blob {digest} is not in repository {route.Name}", digest.ToString());
        }
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }
}
