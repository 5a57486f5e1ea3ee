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
        var stored = await grains.GetGrain<IBlobGrain>(digest.ToString()).IsLinkedAsync(route.Name)
            ? await store.StatAsync(digest, cancellation)
            : null;
        if (stored is null) throw new OciException(OciErrorCode.BlobUnknown, $"blob {digest} is not in repository {route.Name}", digest.ToString());

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

        var size = stored.Size;
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
        if (HttpMethods.IsHead(context.Request.Method) || count == 0) return;

        if (store.TryGetLocalPath(digest) is { } path)
        {
            await response.SendFileAsync(path, offset, count, cancellation);
            return;
        }
        await using var stream = await store.OpenReadAsync(digest, offset, cancellation)
            ?? throw new OciException(OciErrorCode.BlobUnknown, $"blob {digest} is not stored", digest.ToString());
        await StreamCopy.CopyAsync(stream, response.Body, count, cancellation);
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
