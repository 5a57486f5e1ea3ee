using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Nscr.Gateway.Hosting;
using Nscr.Gateway.Logging;
using Nscr.Gateway.Oci.Http;
using Nscr.Grains;
using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Gateway.Oci;

/// <summary>
/// <c>/v2/&lt;name&gt;/blobs/uploads/[&lt;id&gt;]</c>: start (POST, monolithic, mount), chunks (PATCH), status (GET),
/// commit (PUT) and cancel (DELETE). Bytes stream from the socket to the staged object, hashed as they pass;
/// every acknowledgement follows an fsync and the session grain's durable write.
/// </summary>
public sealed class UploadsEndpoint(
    IGrainFactory grains,
    IBlobStore store,
    UploadHashers hashers,
    RegistryOptions options,
    ILogger<UploadsEndpoint> logger)
{
    public async Task StartAsync(HttpContext context, OciRoute route)
    {
        var query = OciQuery.Of(context);
        if (query.Mount is { } mount && await TryMountAsync(context, route, mount, query.From ?? ""))
        {
            return;
        }
        if (query.Digest is { } digestText)
        {
            await MonolithicAsync(context, route, Digest.Parse(digestText));
            return;
        }
        var id = Guid.NewGuid().ToString("N");
        await store.CreateStagedAsync(id, context.RequestAborted);
        await Session(id).StartAsync(route.Name);
        WriteUploadHeaders(context, route, id, 0, StatusCodes.Status202Accepted);
        context.Response.Headers["OCI-Chunk-Min-Length"] = "0";
    }

    private async Task<bool> TryMountAsync(HttpContext context, OciRoute route, string mount, string from)
    {
        if (!Digest.TryParse(mount, out var digest)) throw new OciException(OciErrorCode.DigestInvalid, "invalid mount digest");
        var blob = grains.GetGrain<IBlobGrain>(digest.ToString());
        if (from.Length > 0 && (!RepositoryName.IsValid(from) || !await blob.IsLinkedAsync(from)))
        {
            return false;
        }
        try
        {
            await blob.LinkAsync(route.Name);
        }
        catch (OciException e) when (e.Code == OciErrorCode.BlobUnknown)
        {
            return false;
        }
        WriteCreated(context, route, digest);
        return true;
    }

    private async Task MonolithicAsync(HttpContext context, OciRoute route, Digest digest)
    {
        var id = Guid.NewGuid().ToString("N");
        var cancellation = context.RequestAborted;
        LiftBodyLimit(context);
        await store.CreateStagedAsync(id, cancellation);
        try
        {
            using var hasher = IncrementalHash.CreateHash(digest.HashAlgorithm);
            var length = await store.WriteStagedAsync(id, 0, context.Request.Body, hasher, MaxBytes(0), cancellation);
            await CommitAsync(route, id, length, digest, hasher, cancellation);
        }
        catch
        {
            await store.DeleteStagedAsync(id, CancellationToken.None);
            throw;
        }
        WriteCreated(context, route, digest);
    }

    public async Task StatusAsync(HttpContext context, OciRoute route)
    {
        var id = ValidId(route.Argument);
        var status = await Session(id).GetAsync();
        if (status is null || status.Repository != route.Name) throw UnknownUpload();
        WriteUploadHeaders(context, route, id, status.Offset, StatusCodes.Status204NoContent);
    }

    public async Task PatchAsync(HttpContext context, OciRoute route)
    {
        var id = ValidId(route.Argument);
        var chunk = ParseContentRange(context);
        var session = Session(id);
        var offset = await BeginWriteAsync(context, route, session, id, chunk);
        if (offset < 0) return;
        long length;
        try
        {
            length = await WriteChunkAsync(context, id, offset, chunk);
        }
        catch
        {
            await session.AbortWriteAsync();
            throw;
        }
        await session.EndWriteAsync(length);
        WriteUploadHeaders(context, route, id, length, StatusCodes.Status202Accepted);
    }

    public async Task PutAsync(HttpContext context, OciRoute route)
    {
        var id = ValidId(route.Argument);
        var digestText = OciQuery.Of(context).Digest ?? "";
        if (digestText.Length == 0) throw new OciException(OciErrorCode.DigestInvalid, "the digest query parameter is required");
        var digest = Digest.Parse(digestText);
        var chunk = ParseContentRange(context);
        var session = Session(id);
        var offset = await BeginWriteAsync(context, route, session, id, chunk);
        if (offset < 0) return;
        var cancellation = context.RequestAborted;
        try
        {
            var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0;
            var length = hasBody ? await WriteChunkAsync(context, id, offset, chunk, digest.HashAlgorithm) : offset;
            var hasher = hashers.Take(id, length, digest.HashAlgorithm);
            using (hasher)
            {
                await CommitAsync(route, id, length, digest, hasher, cancellation);
            }
        }
        catch (OciException e) when (e.Code == OciErrorCode.DigestInvalid)
        {
            // The bytes do not match what the client claims: discard them with the session.
            await DiscardAsync(id, session);
            throw;
        }
        catch
        {
            await session.AbortWriteAsync();
            throw;
        }
        await session.CloseAsync();
        WriteCreated(context, route, digest);
    }

    public async Task CancelAsync(HttpContext context, OciRoute route)
    {
        var id = ValidId(route.Argument);
        var session = Session(id);
        var status = await session.GetAsync();
        if (status is null || status.Repository != route.Name) throw UnknownUpload();
        await DiscardAsync(id, session);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.ContentLength = 0;
    }

    /// <summary>Takes the session's write lease; on a range conflict answers 416 with the current Range and returns -1.</summary>
    private async Task<long> BeginWriteAsync(HttpContext context, OciRoute route, IUploadSessionGrain session, string id, ByteRange? chunk)
    {
        long offset;
        try
        {
            offset = await session.BeginWriteAsync(route.Name, chunk?.Start);
        }
        catch (OciException e) when (e.Code == OciErrorCode.RangeInvalid)
        {
            var current = await session.GetAsync();
            WriteUploadHeaders(context, route, id, current?.Offset ?? 0, StatusCodes.Status416RangeNotSatisfiable);
            await OciResponses.WriteErrorAsync(context, e.Code, e.Message);
            return -1;
        }
        var staged = await store.GetStagedLengthAsync(id, context.RequestAborted);
        if (staged is null || staged < offset)
        {
            Log.UploadLost(logger, id);
            await DiscardAsync(id, session);
            throw UnknownUpload();
        }
        return offset;
    }

    /// <param name="algorithm">The digest's algorithm when the request ends the upload; SHA-256 (default) while it is unknown.</param>
    private async Task<long> WriteChunkAsync(HttpContext context, string id, long offset, ByteRange? chunk, HashAlgorithmName algorithm = default)
    {
        LiftBodyLimit(context);
        var declared = context.Request.ContentLength;
        if (chunk is { } c && declared is { } d && d != c.Length)
        {
            throw new OciException(OciErrorCode.BlobUploadInvalid, $"Content-Length {d} does not match Content-Range {c.Start}-{c.End}");
        }
        var hasher = hashers.Take(id, offset, algorithm);
        long length;
        try
        {
            length = await store.WriteStagedAsync(id, offset, context.Request.Body, hasher, MaxBytes(offset), context.RequestAborted);
        }
        catch
        {
            hasher?.Dispose();
            throw;
        }
        if (chunk is { } expected && length - offset != expected.Length)
        {
            hasher?.Dispose();
            throw new OciException(OciErrorCode.BlobUploadInvalid, $"received {length - offset} bytes for Content-Range {expected.Start}-{expected.End}");
        }
        if (hasher is not null) hashers.Put(id, hasher, length);
        return length;
    }

    /// <summary>Verifies the staged bytes against <paramref name="digest"/>, moves them into place and links them here.</summary>
    private async Task CommitAsync(OciRoute route, string id, long length, Digest digest, IncrementalHash? hasher, CancellationToken cancellation)
    {
        var actual = hasher is not null
            ? Digest.FromHash(digest.Algorithm, hasher.GetHashAndReset())
            : await store.HashStagedAsync(id, length, digest.Algorithm, cancellation);
        if (actual != digest)
        {
            throw new OciException(OciErrorCode.DigestInvalid, $"uploaded content has digest {actual}, not {digest}", digest.ToString());
        }
        await grains.GetGrain<IBlobGrain>(digest.ToString()).CommitStagedAsync(id, length, route.Name);
    }

    private async Task DiscardAsync(string id, IUploadSessionGrain session)
    {
        hashers.Forget(id);
        await session.CloseAsync();
        await store.DeleteStagedAsync(id, CancellationToken.None);
    }

    private static ByteRange? ParseContentRange(HttpContext context)
    {
        var header = context.Request.Headers.ContentRange.ToString();
        if (header.Length == 0) return null;
        return ByteRange.TryParseContentRange(header, out var range)
            ? range
            : throw new OciException(OciErrorCode.RangeInvalid, $"invalid Content-Range '{header}'");
    }

    private long MaxBytes(long offset) => options.MaxBlobBytes == 0 ? long.MaxValue : Math.Max(0, options.MaxBlobBytes - offset);

    /// <summary>Layers are far larger than Kestrel's default body limit; our own limit (MaxBlobBytes) applies instead.</summary>
    private static void LiftBodyLimit(HttpContext context)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = null;
    }

    private IUploadSessionGrain Session(string id) => grains.GetGrain<IUploadSessionGrain>(id);

    /// <summary>Upload ids are staging ids; anything else cannot name a session.</summary>
    private static string ValidId(string id) => StagingIds.IsValid(id) ? id : throw UnknownUpload();

    private static OciException UnknownUpload() => new(OciErrorCode.BlobUploadUnknown, "upload session unknown");

    private static void WriteUploadHeaders(HttpContext context, OciRoute route, string id, long offset, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.Location = $"/v2/{route.Name}/blobs/uploads/{id}";
        response.Headers.Range = OciResponses.UploadRange(offset);
        response.Headers[OciResponses.UploadUuidHeader] = id;
        response.ContentLength = 0;
    }

    private static void WriteCreated(HttpContext context, OciRoute route, Digest digest)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = $"/v2/{route.Name}/blobs/{digest}";
        response.Headers[OciResponses.ContentDigestHeader] = digest.ToString();
        response.ContentLength = 0;
    }
}
