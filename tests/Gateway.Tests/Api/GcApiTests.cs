using System.Net;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Api;

public sealed class GcApiTests(GcRegistry registry) : IClassFixture<GcRegistry>
{
    private RegistryClient Client => registry.Client;

    [Fact]
    public async Task A_waited_cycle_reports_what_it_did_and_joins_the_history()
    {
        var repository = TestContent.Repository("gc-api");
        var image = await Client.PushImageAsync(repository, "v1", layers: 2);
        using (var delete = await Client.DeleteAsync($"/v2/{repository}/manifests/{image.Digest}"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, delete);
        }

        var report = await Client.RunGcAsync();

        Assert.Equal("completed", report["state"]!.GetValue<string>());
        Assert.False(report["dryRun"]!.GetValue<bool>());
        Assert.Equal("api", report["trigger"]!.GetValue<string>());
        Assert.Empty(report["errors"]!.AsArray());
        var deleted = report.Items("blobs");
        foreach (var blob in image.Layers.Append(image.Config).Append(image.Manifest.Ref))
        {
            Assert.Contains(blob.Digest.ToString(), deleted);
            Assert.False(registry.BlobFileExists(blob.Digest));
        }
        Assert.True(report.Number("bytesReclaimed") >= image.Layers.Sum(l => l.Size) + image.Config.Size + image.Manifest.Body.Length);
        Assert.True(report.Number("deletedBlobs") >= 4);
        Assert.True(report.Number("durationMs") >= 0);
        Assert.True(report["finishedAt"]!.GetValue<DateTime>() >= report["startedAt"]!.GetValue<DateTime>());

        using var status = await Client.GetAsync("/api/gc");
        var overview = await AdminApi.JsonAsync(status, HttpStatusCode.OK);
        var entry = overview["history"]!.AsArray().Single(h => h!["id"]!.GetValue<long>() == report.Number("id"))!.AsObject();
        Assert.Equal(report.Number("deletedBlobs"), entry.Number("deletedBlobs"));
        Assert.Equal(report.Number("bytesReclaimed"), entry.Number("bytesReclaimed"));
        Assert.Null(entry["items"]);

        using var one = await Client.GetAsync($"/api/gc/{report.Number("id")}");
        Assert.Equal(deleted, (await AdminApi.JsonAsync(one, HttpStatusCode.OK)).Items("blobs"));
    }

    [Fact]
    public async Task A_cycle_started_without_waiting_answers_202_with_its_id_and_finishes()
    {
        using var response = await Client.SendAsync(HttpMethod.Post, "/api/gc");
        var started = await AdminApi.JsonAsync(response, HttpStatusCode.Accepted);
        var id = started.Number("id");
        Assert.Equal($"/api/gc/{id}", response.Headers.Location?.ToString());

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonObject report;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, $"cycle {id} did not finish");
            using var get = await Client.GetAsync($"/api/gc/{id}");
            report = await AdminApi.JsonAsync(get, HttpStatusCode.OK);
        }
        while (report["state"]!.GetValue<string>() == "running");
        Assert.Equal("completed", report["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_dry_run_reports_the_bytes_it_would_free_and_deletes_nothing()
    {
        var repository = TestContent.Repository("gc-dry");
        var image = await Client.PushImageAsync(repository, "v1", layers: 1);
        using (await Client.DeleteAsync($"/v2/{repository}/manifests/{image.Digest}"))
        {
        }

        var dry = await Client.RunGcAsync(dryRun: true);

        Assert.True(dry["dryRun"]!.GetValue<bool>());
        Assert.Contains(image.Layers[0].Digest.ToString(), dry.Items("blobs"));
        Assert.True(dry.Number("bytesReclaimed") >= image.Layers[0].Size + image.Config.Size);
        await Client.AssertBlobAsync(repository, image.Layers[0]);
        Assert.True(registry.BlobFileExists(image.Layers[0].Digest));

        var real = await Client.RunGcAsync();
        Assert.Contains(image.Layers[0].Digest.ToString(), real.Items("blobs"));
        await Client.AssertBlobGoneAsync(repository, image.Layers[0].Digest);
    }

    [Fact]
    public async Task Concurrent_requests_never_run_two_cycles_at_once()
    {
        var reports = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Client.RunGcAsync(dryRun: i % 2 == 0)));

        Assert.All(reports, r => Assert.Equal("completed", r["state"]!.GetValue<string>()));
        using var status = await Client.GetAsync("/api/gc");
        var history = (await AdminApi.JsonAsync(status, HttpStatusCode.OK))["history"]!.AsArray()
            .Select(h => (Start: h!["startedAt"]!.GetValue<DateTime>(), End: h["finishedAt"]!.GetValue<DateTime>()))
            .OrderBy(h => h.Start)
            .ToArray();
        for (var i = 1; i < history.Length; i++)
        {
            Assert.True(history[i].Start >= history[i - 1].End, $"cycles overlap: {history[i - 1]} and {history[i]}");
        }
    }

    [Fact]
    public async Task A_tagged_image_keeps_every_byte_through_a_cycle_with_no_grace()
    {
        var repository = TestContent.Repository("gc-keep");
        var image = await Client.PushImageAsync(repository, "v1", layers: 3);

        await Client.RunGcAsync();

        foreach (var blob in image.Layers.Append(image.Config)) await Client.AssertBlobAsync(repository, blob);
        using var manifest = await Client.GetAsync($"/v2/{repository}/manifests/v1");
        Assert.Equal(image.Manifest.Body, await manifest.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("POST", "/api/gc?dryRun=maybe", HttpStatusCode.BadRequest, "PARAMETER_INVALID")]
    [InlineData("GET", "/api/gc/not-a-number", HttpStatusCode.BadRequest, "PARAMETER_INVALID")]
    [InlineData("GET", "/api/gc/987654321", HttpStatusCode.NotFound, "NOT_FOUND")]
    [InlineData("GET", "/api/fsck", HttpStatusCode.MethodNotAllowed, "UNSUPPORTED")]
    [InlineData("PUT", "/api/gc", HttpStatusCode.MethodNotAllowed, "UNSUPPORTED")]
    [InlineData("DELETE", "/api/repositories/Bad..Name", HttpStatusCode.BadRequest, "NAME_INVALID")]
    [InlineData("DELETE", "/api/repositories/never/pushed", HttpStatusCode.NotFound, "NAME_UNKNOWN")]
    public async Task Errors_have_the_OCI_error_shape(string method, string path, HttpStatusCode status, string code)
    {
        using var response = await Client.SendAsync(new HttpMethod(method), path);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonNode.Parse(body)!["errors"]!.AsArray().Single()!;
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
    }
}
