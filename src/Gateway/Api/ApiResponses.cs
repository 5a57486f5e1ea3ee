using System.Text.Json;
using Nscr.Gateway.Oci.Http;

namespace Nscr.Gateway.Api;

/// <summary>An admin API error that has no OCI error code (a bad query parameter, an unknown cycle).</summary>
public sealed class ApiException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public static ApiException InvalidParameter(string message) => new(StatusCodes.Status400BadRequest, "PARAMETER_INVALID", message);

    public static ApiException NotFound(string message) => new(StatusCodes.Status404NotFound, "NOT_FOUND", message);
}

/// <summary>Writers and readers the admin API resources share.</summary>
public static class ApiResponses
{
    public const string JsonType = "application/json";

    /// <summary>Writes <paramref name="status"/> and a JSON document built by <paramref name="write"/>.</summary>
    public static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        using var buffer = new PooledBufferWriter();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonType;
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    /// <summary>The OCI error shape, <c>{"errors":[{"code","message","detail"}]}</c>, for codes outside the OCI table.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteJsonAsync(context, status, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("errors");
            json.WriteStartObject();
            json.WriteString("code", code);
            json.WriteString("message", message);
            json.WriteNull("detail");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        });

    /// <summary>An ISO 8601 UTC time, or null.</summary>
    public static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } value) json.WriteString(name, value.UtcDateTime);
        else json.WriteNull(name);
    }

    /// <summary>A boolean query parameter: absent or empty is false; "true"/"1" and "false"/"0" (any case) are accepted.</summary>
    public static bool QueryFlag(HttpContext context, string name)
    {
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0) return false;
        if (bool.TryParse(text, out var value)) return value;
        return text switch
        {
            "1" => true,
            "0" => false,
            _ => throw ApiException.InvalidParameter($"query parameter '{name}' must be true or false, not '{text}'"),
        };
    }
}
