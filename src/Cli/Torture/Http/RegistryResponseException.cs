using System.Net;
using System.Text.Json;

namespace Nscr.Cli.Torture.Http;

/// <summary>The registry answered, but not what the protocol allows at that point.</summary>
public sealed class RegistryResponseException(string operation, HttpStatusCode status, string? code, string detail)
    : Exception($"{operation}: HTTP {(int)status}{(code is null ? "" : " " + code)}{(detail.Length == 0 ? "" : ": " + detail)}")
{
    public string Operation { get; } = operation;

    public HttpStatusCode Status { get; } = status;

    /// <summary>The first OCI error code of the body (MANIFEST_BLOB_UNKNOWN, ...), when there is one.</summary>
    public string? Code { get; } = code;

    public bool IsServerError => (int)Status >= 500;

    public static async Task<RegistryResponseException> FromAsync(string operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = "";
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            // The status alone still tells what went wrong.
        }
        var (code, message) = ParseOciError(body);
        var detail = message ?? (body.Length > 300 ? body[..300] + "…" : body);
        return new RegistryResponseException(operation, response.StatusCode, code, detail);
    }

    /// <summary>{"errors":[{"code":"…","message":"…"}]} → (code, message); (null, null) for anything else.</summary>
    public static (string? Code, string? Message) ParseOciError(string body)
    {
        if (body.Length == 0 || body[0] != '{') return (null, null);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                return (Text(first, "code"), Text(first, "message"));
            }
        }
        catch (JsonException)
        {
        }
        return (null, null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
