using System.Net;
using System.Text.Json;

namespace Nscr.Gateway.Tests.Infrastructure;

/// <summary>Assertions on the shapes every OCI response shares.</summary>
public static class OciAssert
{
    /// <summary>
    /// Asserts the status and that the body is <c>{"errors":[{"code","message","detail"}]}</c> with
    /// <paramref name="code"/> among the codes. HEAD answers carry no body, so only the status is checked.
    /// </summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("registry/2.0", Header(response, "Docker-Distribution-API-Version"));
        if (response.RequestMessage?.Method == HttpMethod.Head) return default;

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var errors = root.GetProperty("errors");
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.NotEqual(0, errors.GetArrayLength());
        foreach (var error in errors.EnumerateArray())
        {
            Assert.Matches("^[A-Z_]+$", error.GetProperty("code").GetString());
            Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
            Assert.True(error.TryGetProperty("detail", out _), $"error without detail: {body}");
        }
        var match = errors.EnumerateArray().FirstOrDefault(e => e.GetProperty("code").GetString() == code);
        Assert.True(match.ValueKind == JsonValueKind.Object, $"expected error code {code} in {body}");
        return match.Clone();
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    /// <summary>Asserts the status, showing the body (usually an error document) when it differs.</summary>
    public static async Task StatusAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        if (expected == response.StatusCode) return;
        var body = await response.Content.ReadAsStringAsync();
        Assert.Fail($"expected {(int)expected}, got {(int)response.StatusCode} for {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {body}");
    }
}
