using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Api;

/// <summary>The admin API calls the tests make, each asserting its success status and JSON content type.</summary>
public static class AdminApi
{
    /// <summary><c>POST /api/gc?wait=true</c>: one whole cycle, its report.</summary>
    public static async Task<JsonObject> RunGcAsync(this RegistryClient client, bool dryRun = false)
    {
        using var response = await client.SendAsync(HttpMethod.Post, $"/api/gc?wait=true{(dryRun ? "&dryRun=true" : "")}");
        return await JsonAsync(response, HttpStatusCode.OK);
    }

    public static async Task<JsonObject> DeleteRepositoryAsync(this RegistryClient client, string repository)
    {
        using var response = await client.DeleteAsync($"/api/repositories/{repository}");
        return await JsonAsync(response, HttpStatusCode.Accepted);
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        await OciAssert.StatusAsync(status, response);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>An admin API error: the status and <c>{"errors":[{"code","message","detail"}]}</c> with <paramref name="code"/>; its message.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonNode.Parse(body)!["errors"]!.AsArray().Single()!.AsObject();
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.True(error.ContainsKey("detail"), body);
        return error["message"]!.GetValue<string>();
    }

    public static long Number(this JsonObject report, string name) => report[name]!.GetValue<long>();

    public static IReadOnlyList<string> Items(this JsonObject report, string list) =>
        report["items"]![list]!.AsArray().Select(i => i!.GetValue<string>()).ToArray();

    public static async Task AssertBlobGoneAsync(this RegistryClient client, string repository, Digest digest)
    {
        using var head = await client.HeadAsync($"/v2/{repository}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    public static async Task AssertBlobAsync(this RegistryClient client, string repository, BlobRef blob)
    {
        using var get = await client.GetAsync($"/v2/{repository}/blobs/{blob.Digest}");
        await OciAssert.StatusAsync(HttpStatusCode.OK, get);
        Assert.Equal(blob.Digest, Digest.Compute(await get.Content.ReadAsByteArrayAsync()));
    }

    public static async Task<HttpStatusCode> ManifestStatusAsync(this RegistryClient client, string repository, string reference)
    {
        using var response = await client.HeadAsync($"/v2/{repository}/manifests/{reference}");
        return response.StatusCode;
    }
}
