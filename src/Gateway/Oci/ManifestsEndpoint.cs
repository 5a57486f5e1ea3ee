using System.Buffers;
using Nscr.Grains;
using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Gateway.Oci;

/// <summary><c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>: HEAD, GET, PUT, DELETE by tag or digest.</summary>
public sealed class ManifestsEndpoint(IGrainFactory grains, IBlobStore store, ManifestCache cache)
{
    public async Task GetAsync(HttpContext context, OciRoute route)
    {
        // A reference that is neither a tag nor a digest names nothing the repository could hold: a pull of it is a
        // 404 (spec, end-3), as Distribution answers; only a push to it is a 400.
        var reference = TryParseReference(route.Argument)
            ?? throw new OciException(OciErrorCode.ManifestUnknown, $"the reference is neither a tag nor a digest, so names no manifest in repository {route.Name}");
        var repository = Repository(route);
        var manifest = await repository.ResolveAsync(reference)
            ?? throw new OciException(OciErrorCode.ManifestUnknown, $"manifest {reference} is not in repository {route.Name}", reference.ToString());
        // A GET is a pull (HEAD is how clients check for existence, e.g. before a push): one-way, the pull does not wait.
        if (HttpMethods.IsGet(context.Request.Method)) await repository.RecordPullAsync(manifest.Digest);
        var response = context.Response;
        var etag = $"\"{manifest.Digest}\"";
        response.ContentType = manifest.MediaType;
        response.ContentLength = manifest.Size;
        response.Headers[OciResponses.ContentDigestHeader] = manifest.Digest.ToString();
        response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        if (HttpMethods.IsHead(context.Request.Method)) return;
        var body = await ReadBodyAsync(manifest, context.RequestAborted);
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    public async Task PutAsync(HttpContext context, OciRoute route)
    {
        var reference = Reference.Parse(route.Argument);
        var tags = ManifestTags.FromRequest(context.Request.Query, reference);
        var body = await ReadRequestAsync(context);
        var digest = Digest.Compute(body, reference.Digest?.Algorithm ?? Digest.Sha256);
        if (reference.Digest is { } expected && expected != digest)
        {
            throw new OciException(OciErrorCode.DigestInvalid, $"manifest has digest {digest}, not {expected}", expected.ToString());
        }
        var content = ManifestParser.Parse(body, context.Request.ContentType);
        await DeclaredSizes.VerifyAsync(grains, content);

        // The bytes are stored content-addressed like any blob; the repository commits them only once every
        // reference checks out, so a rejected manifest leaves nothing behind. Bytes already stored are just linked.
        var record = ManifestRecord.From(digest, body.Length, content);
        var stored = await grains.GetGrain<IBlobGrain>(digest.ToString()).GetAsync() is not null;
        try
        {
            await PutAsync(route, tags, record, stored ? null : body, context.RequestAborted);
        }
        catch (OciException e) when (stored && e.Code == OciErrorCode.ManifestBlobUnknown && e.Detail == digest.ToString())
        {
            // Collected between the check and the link: store the bytes again.
            await PutAsync(route, tags, record, body, context.RequestAborted);
        }
        cache.Add(digest, body);

        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = $"/v2/{route.Name}/manifests/{digest}";
        response.Headers[OciResponses.ContentDigestHeader] = digest.ToString();
        if (content.Subject is { } subject) response.Headers["OCI-Subject"] = subject.Digest.ToString();
        if (ManifestTags.Requested(context.Request.Query)) response.Headers[ManifestTags.ResponseHeader] = tags.ToArray();
        response.ContentLength = 0;
    }

    public async Task DeleteAsync(HttpContext context, OciRoute route)
    {
        var reference = Reference.Parse(route.Argument);
        var repository = Repository(route);
        var deleted = reference.Digest is { } digest
            ? await repository.DeleteManifestAsync(digest)
            : await repository.DeleteTagAsync(reference.Tag!);
        if (!deleted)
        {
            throw new OciException(OciErrorCode.ManifestUnknown, $"manifest {reference} is not in repository {route.Name}", reference.ToString());
        }
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }

    private async Task PutAsync(OciRoute route, IReadOnlyList<string> tags, ManifestRecord record, byte[]? body, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            await Repository(route).PutManifestAsync(record, tags);
            return;
        }
        var stagingId = $"manifest-{Guid.NewGuid():N}";
        await store.WriteStagedAsync(stagingId, body, cancellationToken);
        try
        {
            await Repository(route).PutManifestAsync(record, tags, stagingId);
        }
        finally
        {
            // Gone already when the commit moved it into place.
            await store.DeleteStagedAsync(stagingId, CancellationToken.None);
        }
    }

    private static Reference? TryParseReference(string argument)
    {
        try
        {
            return Reference.Parse(argument);
        }
        catch (OciException)
        {
            return null;
        }
    }

    private IRepositoryGrain Repository(OciRoute route) => grains.GetGrain<IRepositoryGrain>(route.Name);

    private async Task<byte[]> ReadBodyAsync(ManifestRecord manifest, CancellationToken cancellationToken)
    {
        if (cache.TryGet(manifest.Digest, out var cached)) return cached;
        await using var stream = await store.OpenReadAsync(manifest.Digest, 0, cancellationToken)
            ?? throw new OciException(OciErrorCode.ManifestUnknown, $"manifest {manifest.Digest} is not stored", manifest.Digest.ToString());
        var body = new byte[manifest.Size];
        await stream.ReadExactlyAsync(body, cancellationToken);
        cache.Add(manifest.Digest, body);
        return body;
    }

    /// <summary>Reads the request body, refusing more than the manifest size limit.</summary>
    private static async Task<byte[]> ReadRequestAsync(HttpContext context)
    {
        const int limit = ManifestParser.MaxManifestBytes;
        if (context.Request.ContentLength > limit) throw TooLarge();
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(context.Request.ContentLength ?? 64 * 1024, limit) + 1);
        try
        {
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (total > limit) throw TooLarge();
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(total), context.RequestAborted);
                if (read == 0) break;
                total += read;
                if (total > limit) throw TooLarge();
            }
            return buffer.AsSpan(0, total).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static OciException TooLarge() =>
        new(OciErrorCode.ManifestTooLarge, $"manifest exceeds the {ManifestParser.MaxManifestBytes / (1024 * 1024)} MiB limit");
}
