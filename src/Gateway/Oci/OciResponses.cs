using System.Text.Json;
using Nscr.Gateway.Oci.Http;
using Nscr.Oci;

namespace Nscr.Gateway.Oci;

/// <summary>Writers for the response shapes every OCI resource shares.</summary>
public static class OciResponses
{
    public const string ApiVersionHeader = "Docker-Distribution-API-Version";
    public const string ContentDigestHeader = "Docker-Content-Digest";
    public const string UploadUuidHeader = "Docker-Upload-UUID";

    /// <summary>Writes <c>{"errors":[{"code","message","detail"}]}</c> with the status the error table gives the code.</summary>
    public static async Task WriteErrorAsync(HttpContext context, OciErrorCode code, string message, string? detail = null)
    {
        var entry = OciErrors.Get(code);
        var response = context.Response;
        response.StatusCode = entry.Status;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        response.ContentType = "application/json";
        using var buffer = new PooledBufferWriter();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("errors");
            json.WriteStartObject();
            json.WriteString("code", entry.Code);
            json.WriteString("message", message.Length > 0 ? message : entry.Message);
            if (detail is not null) json.WriteString("detail", detail);
            else json.WriteNull("detail");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    /// <summary>Writes a small JSON document built by <paramref name="write"/>.</summary>
    public static async Task WriteJsonAsync(HttpContext context, string contentType, Action<Utf8JsonWriter> write)
    {
        using var buffer = new PooledBufferWriter();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }
        context.Response.ContentType = contentType;
        context.Response.ContentLength = buffer.WrittenCount;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    /// <summary>The <c>Range</c> header value of an upload holding <paramref name="offset"/> bytes.</summary>
    public static string UploadRange(long offset) => $"0-{Math.Max(0, offset - 1)}";
}
